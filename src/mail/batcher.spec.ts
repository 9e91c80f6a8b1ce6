import { Batcher } from './batcher';

describe('Batcher', () => {
  it('runs the calls of one moment as one batch and hands each caller its own result', async () => {
    const calls: number[][] = [];
    const b = new Batcher<number, number>(
      async (xs) => {
        calls.push(xs);
        return xs.map((x) => x * 10);
      },
      { maxSize: 100, maxWaitMs: 5 },
    );
    expect(await Promise.all([1, 2, 3].map((x) => b.load(x)))).toEqual([10, 20, 30]);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it('flushes at maxSize without waiting', async () => {
    const calls: number[][] = [];
    const b = new Batcher<number, number>(
      async (xs) => {
        calls.push(xs);
        return xs;
      },
      { maxSize: 2, maxWaitMs: 10_000 },
    );
    await Promise.all([1, 2, 3, 4].map((x) => b.load(x)));
    expect(calls).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('rejects every caller of a failed batch', async () => {
    const b = new Batcher<number, number>(
      async () => {
        throw new Error('db down');
      },
      { maxSize: 10, maxWaitMs: 1 },
    );
    await expect(Promise.all([b.load(1), b.load(2)])).rejects.toThrow('db down');
  });
});

describe('Semaphore', () => {
  it('lets at most `size` holders in, the rest in order', async () => {
    const { Semaphore } = await import('./batcher');
    const s = new Semaphore(2);
    const order: number[] = [];
    const r1 = await s.acquire();
    const r2 = await s.acquire();
    const third = s.acquire().then((r) => {
      order.push(3);
      return r;
    });
    const fourth = s.acquire().then((r) => {
      order.push(4);
      return r;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual([]);
    r1();
    r1(); // a second release is ignored
    await third;
    expect(order).toEqual([3]);
    r2();
    (await fourth)();
    (await third)();
    expect(order).toEqual([3, 4]);
  });
});

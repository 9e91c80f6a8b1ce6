/**
 * Groups calls made within a few milliseconds into one call (like DataLoader), so concurrent
 * mail jobs share one SQL statement instead of sending one each. Each caller still awaits its
 * own result, so a job finishes only once its row is written.
 */
export class Batcher<I, O> {
  private pending: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly opts: { maxSize: number; maxWaitMs: number },
  ) {}

  load(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.opts.maxSize) {
        this.flush();
      } else if (!this.timer) {
        this.timer = setTimeout(() => this.flush(), this.opts.maxWaitMs);
      }
    });
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) {
      return;
    }
    this.run(batch.map((b) => b.item)).then(
      (out) => {
        if (out.length !== batch.length) {
          const err = new Error(`batch returned ${out.length} results for ${batch.length} items`);
          batch.forEach((b) => b.reject(err));
          return;
        }
        batch.forEach((b, i) => b.resolve(out[i]));
      },
      (e: unknown) => batch.forEach((b) => b.reject(e)),
    );
  }
}

/** At most `size` holders at once; the others wait in order. */
export class Semaphore {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async acquire(): Promise<() => void> {
    if (this.held >= this.size) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.held++;
    }
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      const next = this.waiting.shift();
      if (next) {
        next(); // the slot passes straight to the next waiter
      } else {
        this.held--;
      }
    };
  }
}

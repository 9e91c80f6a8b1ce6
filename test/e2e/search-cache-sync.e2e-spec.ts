import { startWorker, Worker } from '../fault/worker';
import { createTestApp, TestApp } from '../helpers/test-app';
import { createOrganisation, createUser, TEST_PASSWORD } from '../factories/users';

/**
 * Two API instances (this test's app and a second one in its own process, as behind a load
 * balancer): a change committed on one shows in the other's searches at once, although both keep
 * prefix expansions and totals cached for 30 seconds.
 */
describe('search caches across instances (Redis channel)', () => {
  let t: TestApp;
  let other: Worker;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    const user = await createUser(t.db, ['recruiter'], {
      organisation: await createOrganisation(t.db, { name: 'Arbetsförmedlingen Klippan' }),
    });
    const agent = t.agent();
    await agent
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    token = (await agent.post('/api/v1/api-tokens').send({ name: 'sync' }).expect(201)).body.token;
    other = await startWorker({ LOG_LEVEL: 'error' }, 'api');
  }, 90_000);
  afterAll(async () => {
    await other?.stop();
    await t.close();
  });

  const onOther = async (q: string) => {
    const res = await fetch(`${other.base}/api/v1/employers?q=${encodeURIComponent(q)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { total: number; items: { name: string }[] };
  };
  const create = (name: string) =>
    t
      .http()
      .post('/api/v1/employers')
      .set('Authorization', `Bearer ${token}`)
      .send({ name, sector: 'private', municipality: '1276' })
      .expect(201);

  async function eventually(q: string, total: number): Promise<number> {
    const start = Date.now();
    while ((await onOther(q)).total !== total) {
      if (Date.now() - start > 5000) {
        throw new Error(`"${q}" on the other instance never reached ${total}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return Date.now() - start;
  }

  it('a new employer shows on the other instance at once, by prefix and in the total', async () => {
    await create('Ljungbyhed Bygg AB');
    await create('Ljungbyhed Måleri AB');
    expect((await onOther('ljungby')).total).toBe(2); // expansion and total now cached there
    expect((await onOther('ljungbyhed')).total).toBe(2);
    await create('Ljungbyhedsbagarn AB'); // a new word behind the cached prefix
    expect(await eventually('ljungby', 3)).toBeLessThan(5000);
    expect((await onOther('ljungby')).items.map((e) => e.name)).toContain('Ljungbyhedsbagarn AB');
    expect((await onOther('ljungbyhed')).total).toBe(3); // "ljungbyheds…" starts with it too
  });

  it('an archived employer leaves the other instance’s totals at once', async () => {
    const created = await create('Klippans Cykel AB');
    await eventually('klippan', 1);
    await t
      .http()
      .post(`/api/v1/employers/${created.body.id}/archive`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(await eventually('klippan', 0)).toBeLessThan(5000);
  });
});

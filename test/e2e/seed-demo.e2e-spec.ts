import { seedDemo, DEMO_PASSWORD, DEMO_USERS } from '../../src/cli/seed-demo';
import { EmployerMergeService } from '../../src/employers/employer-merge.service';
import { createTestApp, TestApp } from '../helpers/test-app';

describe('npm run seed:demo', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('fills the register with a realistic, idempotent demo that can be signed in to at once', async () => {
    await seedDemo(t.db);
    const count = async (table: string) =>
      Number((await t.db.query(`SELECT COUNT(*) AS n FROM \`${table}\``))[0].n);
    const first = {
      employers: await count('employer'),
      users: await count('user'),
      contacts: await count('contact_person'),
    };
    expect(first.employers).toBeGreaterThanOrEqual(300);
    expect(first.users).toBe(DEMO_USERS.length);
    await seedDemo(t.db);
    expect({
      employers: await count('employer'),
      users: await count('user'),
      contacts: await count('contact_person'),
    }).toEqual(first);

    const departments = await t.db.query(
      `SELECT COUNT(*) AS n FROM employer WHERE org_number = '2120001124' AND unit_name IS NOT NULL`,
    );
    expect(Number(departments[0].n)).toBeGreaterThanOrEqual(5);
    const pairs = await t.app.get(EmployerMergeService).possiblePairs(500);
    expect(pairs.map((p) => [p.a.name, p.b.name].sort().join(' / '))).toEqual(
      expect.arrayContaining(['Cafe Akerlund / Café Åkerlund AB']),
    );

    expect(await count('contact_event')).toBeGreaterThan(50);
    const claims = await t.db.query(
      `SELECT COUNT(*) AS n FROM contact_claim WHERE status = 'active'`,
    );
    expect(Number(claims[0].n)).toBeGreaterThanOrEqual(3);
    const blocked = await t.db.query(
      `SELECT COUNT(*) AS n FROM employer WHERE status = 'do_not_contact'`,
    );
    expect(Number(blocked[0].n)).toBe(1);

    const statuses = await t.db.query('SELECT DISTINCT status FROM internship_slot');
    expect(statuses.map((r: { status: string }) => r.status).sort()).toEqual([
      'awaiting_confirmation',
      'closed',
      'draft',
      'full',
      'open',
      'paused',
    ]);
    const sectors = await t.db.query(
      'SELECT DISTINCT e.sector FROM internship_slot s JOIN employer e ON e.id = s.employer_id',
    );
    expect(sectors.map((r: { sector: string }) => r.sector).sort()).toEqual([
      'municipal_company',
      'municipal_department',
      'private',
    ]);

    for (const u of DEMO_USERS) {
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: u.email, password: DEMO_PASSWORD })
        .expect(200);
    }
  });
});

import { createTestApp, TestApp } from '../helpers/test-app';
import { createUser, TEST_PASSWORD } from '../factories/users';

/** Pulls the CSRF token out of a rendered form. */
function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) {
    throw new Error('no CSRF token in page');
  }
  return m[1];
}

describe('administration: organisations, users, audit log', () => {
  let t: TestApp;
  let admin: ReturnType<TestApp['agent']>;
  let adminUser: Awaited<ReturnType<typeof createUser>>;
  beforeAll(async () => {
    t = await createTestApp();
    adminUser = await createUser(t.db, ['admin']);
    admin = t.agent();
    await admin
      .post('/api/v1/auth/login')
      .send({ email: adminUser.email, password: TEST_PASSWORD })
      .expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates organisations and users through the API, and lists them paginated', async () => {
    const org = (
      await admin
        .post('/api/v1/organisations')
        .send({
          name: 'Arbetsförmedlingen Lysekil',
          kind: 'employment_service',
          municipalityCode: '1484',
        })
        .expect(201)
    ).body;
    expect(org).toMatchObject({
      name: 'Arbetsförmedlingen Lysekil',
      kind: 'employment_service',
      municipalityCode: '1484',
      active: true,
    });
    const created = await admin
      .post('/api/v1/users')
      .send({
        email: ' Kim.Rekryterare@Lysekil.se ',
        name: 'Kim',
        password: 'a-long-password',
        roles: ['recruiter', 'coordinator'],
        organisationId: org.id,
      })
      .expect(201);
    expect(created.body).toMatchObject({
      email: 'kim.rekryterare@lysekil.se',
      roles: ['recruiter', 'coordinator'],
      organisationName: 'Arbetsförmedlingen Lysekil',
    });
    expect(created.body.passwordHash).toBeUndefined();
    expect(JSON.stringify(created.body)).not.toContain('argon2');
    await admin
      .post('/api/v1/users')
      .send({
        email: 'kim.rekryterare@lysekil.se',
        name: 'Kim 2',
        password: 'a-long-password',
        roles: ['recruiter'],
        organisationId: org.id,
      })
      .expect(409);
    const short = await admin
      .post('/api/v1/users')
      .send({
        email: 'a@b.se',
        name: 'A',
        password: 'short',
        roles: ['recruiter'],
        organisationId: org.id,
      })
      .expect(400);
    expect(short.body.errors).toEqual([
      { field: 'password', message: 'password must be at least 12 characters' },
    ]);

    const page = await admin.get('/api/v1/users?role=coordinator&limit=1').expect(200);
    expect(page.body).toMatchObject({ page: 1, limit: 1, total: 1 });
    expect(page.body.items[0].email).toBe('kim.rekryterare@lysekil.se');
    const orgs = await admin.get('/api/v1/organisations?limit=1&page=2').expect(200);
    expect(orgs.body.items).toHaveLength(1);
    expect(orgs.body.total).toBeGreaterThanOrEqual(2);
  });

  it('refuses emails with quoted local parts or display names', async () => {
    const org = (
      await admin
        .post('/api/v1/organisations')
        .send({ name: 'Org för e-posttest', kind: 'other' })
        .expect(201)
    ).body;
    for (const email of [
      '"evil"@x.se',
      'Name <a@b.se>',
      'a@b.se, c@d.se',
      'a(comment)@b.se',
      'a@b.se\r\nBcc: c@d.se',
    ]) {
      const res = await admin
        .post('/api/v1/users')
        .send({
          email,
          name: 'X',
          password: 'a-long-password',
          roles: ['recruiter'],
          organisationId: org.id,
        })
        .expect(400);
      expect(res.body.errors[0].field).toBe('email');
    }
  });

  it('writes an audit event for each change, in the same transaction, and lets admins search them', async () => {
    const org = (
      await admin
        .post('/api/v1/organisations')
        .send({ name: 'Revisionsorg', kind: 'other' })
        .expect(201)
    ).body;
    const res = await admin
      .get(`/api/v1/audit-events?entity=organisation&entityId=${org.id}`)
      .expect(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({
      action: 'organisation.create',
      actorUserId: adminUser.id,
      actorType: 'user',
      actorOrganisationId: adminUser.organisationId,
    });
    expect(res.body.items[0].ip).toBeTruthy();
    const logins = await admin.get('/api/v1/audit-events?action=auth.login').expect(200);
    expect(logins.body.total).toBeGreaterThanOrEqual(1);
    await admin.get('/api/v1/audit-events?from=yesterday').expect(400);
  });

  it('audits state-changing requests that do not audit themselves', async () => {
    const token = (await admin.post('/api/v1/api-tokens').send({ name: 'audit probe' }).expect(201))
      .body;
    const ev = await admin
      .get(`/api/v1/audit-events?entity=api_token&entityId=${token.id}`)
      .expect(200);
    expect(ev.body.items.map((e: { action: string }) => e.action)).toEqual(['api_token.create']);
    // logout audits itself; a failed login audits as anonymous
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'ghost@test.example', password: 'whatever-123' })
      .expect(401);
    const failed = await admin.get('/api/v1/audit-events?action=auth.login_failed').expect(200);
    expect(failed.body.items[0].actorType).toBe('anonymous');
  });

  it('never lets the app update or delete audit rows', async () => {
    const { readFileSync } = await import('node:fs');
    const { execSync } = await import('node:child_process');
    const files = execSync('grep -rlE "AuditEvent" src --include=*.ts', { encoding: 'utf8' })
      .trim()
      .split('\n');
    for (const f of files) {
      const src = readFileSync(f, 'utf8');
      expect({
        f,
        bad: /AuditEvent\)?\s*\.(update|delete|remove|softDelete)\(|getRepository\(AuditEvent\)\.(update|delete|remove)/.test(
          src,
        ),
      }).toEqual({ f, bad: false });
    }
  });

  it('manages users through the pages with CSRF-protected forms', async () => {
    const orgs = (await admin.get('/api/v1/organisations?limit=100').expect(200)).body.items;
    const form = await admin.get('/admin/users/new').expect(200);
    const csrf = csrfFrom(form.text);
    // Without the token the form is refused.
    await admin
      .post('/admin/users')
      .type('form')
      .send({
        name: 'Utan token',
        email: 'utan@test.se',
        password: 'a-long-password',
        roles: 'recruiter',
        organisationId: orgs[0].id,
      })
      .expect(403);
    // Invalid input re-renders the form with the field's message.
    const invalid = await admin
      .post('/admin/users')
      .type('form')
      .send({
        _csrf: csrf,
        name: '',
        email: 'x',
        password: 'a-long-password',
        roles: 'recruiter',
        organisationId: orgs[0].id,
      })
      .expect(400);
    expect(invalid.text).toContain('aria-invalid="true"');
    const ok = await admin
      .post('/admin/users')
      .type('form')
      .send({
        _csrf: csrf,
        name: 'Via Sidan',
        email: 'via.sidan@test.se',
        password: 'a-long-password',
        roles: ['recruiter', 'coordinator'],
        organisationId: orgs[0].id,
      })
      .expect(303);
    expect(ok.headers.location).toBe('/admin/users?created=1');
    const list = await admin.get('/admin/users?q=via.sidan').expect(200);
    expect(list.text).toContain('Via Sidan');
    await admin
      .get(ok.headers.location)
      .expect(200)
      .expect((r) => expect(r.text).toContain('Användaren är skapad'));
    await admin
      .get('/admin/audit')
      .expect(200)
      .expect((r) => expect(r.text).toContain('user.create'));
    await admin.get('/admin/organisations').expect(200);
  });

  it('sends anonymous visitors of a page to the login page, and other roles get a 403 page', async () => {
    const res = await t.http().get('/admin/users').set('Accept', 'text/html').expect(303);
    expect(res.headers.location).toBe('/login?next=%2Fadmin%2Fusers');
    const rec = await createUser(t.db, ['recruiter']);
    const agent = t.agent();
    await agent
      .post('/api/v1/auth/login')
      .send({ email: rec.email, password: TEST_PASSWORD })
      .expect(200);
    const forbidden = await agent.get('/admin/users').set('Accept', 'text/html').expect(403);
    expect(forbidden.text).toContain('Du har inte behörighet');
  });

  it('signs in through the login page and lands on the role’s start page', async () => {
    const rec = await createUser(t.db, ['recruiter']);
    const agent = t.agent();
    const page = await agent.get('/login').expect(200);
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: rec.email, password: TEST_PASSWORD, next: '/' })
      .expect(303);
    expect(res.headers.location).toBe('/');
    await agent.get('/').expect(303).expect('location', '/recruiter');
    const start = await agent.get('/recruiter').expect(200);
    expect(start.text).toContain('<html lang="sv">');
    const en = await agent.get('/recruiter?lang=en').expect(200);
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Employer contact');
    // open redirects are refused
    const page2 = await t.agent().get('/login');
    expect(page2.status).toBe(200);
  });
});

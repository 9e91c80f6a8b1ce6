import { createTestApp, TestApp } from '../helpers/test-app';
import { createOrganisation, createUser, TEST_PASSWORD } from '../factories/users';

function sessionCookie(res: { headers: Record<string, unknown> }): string | undefined {
  const set = res.headers['set-cookie'] as string[] | undefined;
  return set?.find((c) => c.startsWith('pn.sid='))?.split(';')[0];
}

describe('authentication and sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs in with email and password, answers /auth/me, and signs out', async () => {
    const user = await createUser(t.db, ['recruiter']);
    const agent = t.agent();
    const login = await agent
      .post('/api/v1/auth/login')
      .send({ email: user.email.toUpperCase(), password: TEST_PASSWORD })
      .expect(200);
    expect(login.body).toMatchObject({ userId: user.id, roles: ['recruiter'], via: 'session' });
    const cookie = login.headers['set-cookie'] as unknown as string[];
    expect(cookie.join(';')).toMatch(/HttpOnly/);
    expect(cookie.join(';')).toMatch(/SameSite=Lax/);
    await agent
      .get('/api/v1/auth/me')
      .expect(200)
      .expect((r) => expect(r.body.email).toBe(user.email));
    await agent.post('/api/v1/auth/logout').expect(204);
    await agent.get('/api/v1/auth/me').expect(401);
  });

  it('rotates the session id at sign-in, so a planted session id is worthless', async () => {
    const user = await createUser(t.db, ['coordinator']);
    const before = await t.http().get('/login').expect(200);
    const planted = sessionCookie(before)!;
    expect(planted).toBeDefined();
    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .set('Cookie', planted)
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    const fresh = sessionCookie(login)!;
    expect(fresh).toBeDefined();
    expect(fresh).not.toEqual(planted);
    await t.http().get('/api/v1/auth/me').set('Cookie', planted).expect(401);
    await t.http().get('/api/v1/auth/me').set('Cookie', fresh).expect(200);
  });

  it('answers an unknown user and a wrong password the same way', async () => {
    const user = await createUser(t.db, ['recruiter']);
    const wrong = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'wrong-password-1' })
      .expect(401);
    const unknown = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@test.example', password: 'wrong-password-1' })
      .expect(401);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
    expect(wrong.body.detail).toBe('Invalid email or password');
  });

  it('refuses inactive users at sign-in with the same answer', async () => {
    const user = await createUser(t.db, ['recruiter'], { active: false });
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(401);
    expect(res.body.detail).toBe('Invalid email or password');
  });

  it('gives 401 without a session and 403 with the wrong role', async () => {
    await t
      .http()
      .get('/api/v1/users')
      .expect(401)
      .expect('content-type', /problem\+json/);
    const user = await createUser(t.db, ['recruiter']);
    const agent = t.agent();
    await agent
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    const res = await agent.get('/api/v1/users').expect(403);
    expect(res.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('ends every session of a user when an admin deactivates them', async () => {
    const org = await createOrganisation(t.db);
    const admin = await createUser(t.db, ['admin'], { organisation: org });
    const victim = await createUser(t.db, ['recruiter'], { organisation: org });
    const a1 = t.agent();
    const a2 = t.agent();
    await a1
      .post('/api/v1/auth/login')
      .send({ email: victim.email, password: TEST_PASSWORD })
      .expect(200);
    await a2
      .post('/api/v1/auth/login')
      .send({ email: victim.email, password: TEST_PASSWORD })
      .expect(200);
    const adminAgent = t.agent();
    await adminAgent
      .post('/api/v1/auth/login')
      .send({ email: admin.email, password: TEST_PASSWORD })
      .expect(200);
    await adminAgent
      .post(`/api/v1/users/${victim.id}/deactivate`)
      .expect(200)
      .expect((r) => expect(r.body.active).toBe(false));
    await a1.get('/api/v1/auth/me').expect(401);
    await a2.get('/api/v1/auth/me').expect(401);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: victim.email, password: TEST_PASSWORD })
      .expect(401);
  });

  it('ends the session after the absolute timeout even when active', async () => {
    const user = await createUser(t.db, ['recruiter']);
    const agent = t.agent();
    await agent
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    await agent.get('/api/v1/auth/me').expect(200);
    t.clock.advance((t.config.session.absoluteHours * 3600 + 1) * 1000);
    try {
      await agent.get('/api/v1/auth/me').expect(401);
    } finally {
      t.clock.reset();
    }
  });

  it('accepts a personal API token as Bearer, on every route the user may use, until revoked', async () => {
    const admin = await createUser(t.db, ['admin']);
    const agent = t.agent();
    await agent
      .post('/api/v1/auth/login')
      .send({ email: admin.email, password: TEST_PASSWORD })
      .expect(200);
    const created = await agent
      .post('/api/v1/api-tokens')
      .send({ name: 'Import script' })
      .expect(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^pn_[A-Za-z0-9_-]{40,}$/);
    const listed = await agent.get('/api/v1/api-tokens').expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    const stored = await t.db.query('SELECT token_hash FROM api_token WHERE id = ?', [
      created.body.id,
    ]);
    expect(stored[0].token_hash).not.toContain(token.slice(3));

    const bearer = (path: string) => t.http().get(path).set('Authorization', `Bearer ${token}`);
    await bearer('/api/v1/auth/me')
      .expect(200)
      .expect((r) => expect(r.body.via).toBe('api_token'));
    await bearer('/api/v1/users').expect(200);
    // With a token the session is not even loaded: a request carrying both gets no rolled cookie.
    const both = await agent
      .get('/api/v1/users')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(both.headers['set-cookie']).toBeUndefined();
    expect((await agent.get('/api/v1/users').expect(200)).headers['set-cookie']).toBeDefined();
    await t.http().get('/api/v1/users').set('Authorization', `Bearer ${token}x`).expect(401);
    await t.http().get('/api/v1/users').set('Authorization', 'Basic abc').expect(401);

    await agent.delete(`/api/v1/api-tokens/${created.body.id}`).expect(200);
    await bearer('/api/v1/auth/me').expect(401);
  });

  it('rate-limits sign-in attempts on one account with 429 problem+json', async () => {
    const user = await createUser(t.db, ['recruiter']);
    const max = t.config.login.maxAttempts;
    for (let i = 0; i < max; i++) {
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: `wrong-password-${i}` })
        .expect(401);
    }
    const limited = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(429);
    expect(limited.headers['content-type']).toMatch(/problem\+json/);
    expect(limited.body.code).toBe('TOO_MANY_REQUESTS');
    // Another account from the same address is not locked out by this one.
    const other = await createUser(t.db, ['recruiter']);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: other.email, password: TEST_PASSWORD })
      .expect(200);
  });
});

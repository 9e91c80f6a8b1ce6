import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { listRouteAccess } from '../../src/auth/route-access';
import { createTestApp, TestApp } from '../helpers/test-app';
import { createUser, TEST_PASSWORD } from '../factories/users';

describe('HTTP conventions', () => {
  let t: TestApp;
  let admin: ReturnType<TestApp['agent']>;
  beforeAll(async () => {
    t = await createTestApp();
    const user = await createUser(t.db, ['admin']);
    admin = t.agent();
    await admin
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('declares access on every registered route (deny by default)', () => {
    const routes = listRouteAccess(
      t.app.get(DiscoveryService),
      t.app.get(MetadataScanner),
      t.app.get(Reflector),
    );
    expect(routes.length).toBeGreaterThan(20);
    const undeclared = routes.filter((r) => r.access === 'undeclared');
    expect(undeclared).toEqual([]);
  });

  it('answers an unknown field with 400 problem+json naming the field', async () => {
    const org = await admin
      .post('/api/v1/organisations')
      .send({ name: 'X', kind: 'municipality', colour: 'red' })
      .expect(400);
    expect(org.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(org.body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      title: 'Bad Request',
    });
    expect(org.body.errors).toEqual([
      { field: 'colour', message: 'property colour should not exist' },
    ]);
  });

  it('answers a wrong type and a missing field with per-field errors', async () => {
    const res = await admin
      .post('/api/v1/users')
      .send({ email: 'not-an-email', name: 42, roles: ['boss'] })
      .expect(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['email', 'name', 'password', 'roles', 'organisationId']),
    );
    const q = await admin.get('/api/v1/users?limit=1000&page=zero').expect(400);
    expect(q.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['limit', 'page']),
    );
  });

  it('rejects nested objects where scalars are expected', async () => {
    const res = await admin
      .post('/api/v1/organisations')
      .send({ name: { $gt: '' }, kind: 'municipality' })
      .expect(400);
    expect(res.body.errors[0].field).toBe('name');
  });

  it('answers malformed JSON with 400 problem+json, not a stack trace', async () => {
    const res = await admin
      .post('/api/v1/organisations')
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.detail).toMatch(/JSON/);
    expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|node_modules|SyntaxError/);
  });

  it('answers a bad id in the path with 400, and an unknown id with 404', async () => {
    const bad = await admin.get('/api/v1/users/not-an-id').expect(400);
    expect(bad.body.errors).toEqual([{ field: 'id', message: 'id must be an id (UUID)' }]);
    await admin
      .get('/api/v1/users/00000000-0000-7000-8000-000000000000')
      .expect(404)
      .expect('content-type', /problem\+json/);
  });

  it('answers unknown API routes with 404 problem+json and unknown pages with a 404 page', async () => {
    const api = await t.http().get('/api/v1/nope').expect(404);
    expect(api.headers['content-type']).toMatch(/problem\+json/);
    expect(api.body).toMatchObject({ status: 404, title: 'Not Found' });
    const page = await t.http().get('/nope').set('Accept', 'text/html').expect(404);
    expect(page.text).toContain('Sidan finns inte.');
  });

  it('answers a duplicate with 409 problem+json', async () => {
    await admin
      .post('/api/v1/organisations')
      .send({ name: 'Dubblett AB', kind: 'other' })
      .expect(201);
    const res = await admin
      .post('/api/v1/organisations')
      .send({ name: 'Dubblett AB', kind: 'other' })
      .expect(409);
    expect(res.body).toMatchObject({
      code: 'ORGANISATION_NAME_TAKEN',
      existingId: expect.any(String),
    });
  });

  it('treats Å and A as different letters in unique names (Swedish collation)', async () => {
    await admin
      .post('/api/v1/organisations')
      .send({ name: 'Åby förening', kind: 'civil_society' })
      .expect(201);
    await admin
      .post('/api/v1/organisations')
      .send({ name: 'Aby förening', kind: 'civil_society' })
      .expect(201);
  });

  it('sends strict security headers', async () => {
    const res = await t.http().get('/login').expect(200);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('reports liveness and readiness', async () => {
    await t.http().get('/health').expect(200, { status: 'ok' });
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body.info).toMatchObject({ mysql: { status: 'up' }, redis: { status: 'up' } });
  });

  it('documents every API route in OpenAPI with its DTOs', async () => {
    const doc = (await t.http().get('/api/openapi.json').expect(200)).body;
    const routes = listRouteAccess(
      t.app.get(DiscoveryService),
      t.app.get(MetadataScanner),
      t.app.get(Reflector),
    ).filter((r) => r.path.startsWith('/api/') || r.path.startsWith('/health'));
    for (const r of routes) {
      const path = r.path.replace(/:(\w+)/g, '{$1}');
      expect({
        route: `${r.method} ${path}`,
        documented: !!doc.paths[path]?.[r.method.toLowerCase()],
      }).toEqual({
        route: `${r.method} ${path}`,
        documented: true,
      });
    }
    expect(doc.components.schemas.CreateUserDto.required).toEqual(
      expect.arrayContaining(['email', 'password', 'roles', 'organisationId']),
    );
    expect(doc.paths['/api/v1/users'].post.requestBody).toBeDefined();
    await t.http().get('/api/docs/').expect(200);
  });

  it('never logs passwords, tokens, cookies or personnummer', async () => {
    t.logs.length = 0;
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'x@test.example', password: 'Sup3r-secret-pass' });
    await t
      .http()
      .get('/api/v1/users?q=19900101-1234')
      .set('Authorization', 'Bearer pn_secret_token_value');
    await admin.get('/api/v1/users?q=198001011234');
    // force an error-level log with personal data in the message
    const { Logger } = await import('@nestjs/common');
    new Logger('Test').error('lookup failed for 19900101-1234 and 800101-1234');
    await new Promise((r) => setTimeout(r, 100));
    const all = t.logs.join('\n');
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain('Sup3r-secret-pass');
    expect(all).not.toContain('pn_secret_token_value');
    expect(all).not.toContain('19900101-1234');
    expect(all).not.toContain('198001011234');
    expect(all).not.toContain('800101-1234');
    expect(all).not.toMatch(/pn\.sid=/);
    expect(all).toContain('[personnummer]');
  });
});

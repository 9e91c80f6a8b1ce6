import { ActionTokensService } from '../../src/auth/action-tokens.service';
import { AuthService } from '../../src/auth/auth.service';
import { Principal } from '../../src/common/request-context';
import { createTestApp, TestApp } from '../helpers/test-app';
import { createOrganisation, createUser } from '../factories/users';

function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) {
    throw new Error('no CSRF token in page');
  }
  return m[1];
}

describe('internship slots and supervisor confirmation', () => {
  let t: TestApp;
  let api: {
    get: (p: string) => any;
    post: (p: string, b?: object) => any;
    patch: (p: string, b?: object) => any;
  };
  let employerId: string;
  let supervisorId: string;
  const valid = () => ({
    employerId,
    title: 'Lagerarbete – plock och pack',
    occupationField: 'Transport, distribution, lager',
    ssyk: '9331',
    tasks: ['Packa beställningar', 'Sortera inleveranser'],
    capacity: 2,
    hoursPerWeek: 30,
    municipality: '1285',
    availableFrom: '2027-01-11',
    availableTo: '2027-06-30',
    maxWeeks: 26,
    adaptations: ['low_threshold'],
    supervisorId,
  });

  beforeAll(async () => {
    t = await createTestApp();
    const org = await createOrganisation(t.db, { name: 'AME Eslöv' });
    const user = await createUser(t.db, ['recruiter'], { organisation: org });
    const p: Principal = {
      userId: user.id,
      name: user.name,
      email: user.email,
      roles: user.roles,
      organisationId: org.id,
      organisationName: org.name,
      via: 'session',
    };
    const { token } = await t.app.get(AuthService).createToken(p, 'test');
    const auth = { Authorization: `Bearer ${token}` };
    api = {
      get: (path) => t.http().get(path).set(auth),
      post: (path, body = {}) => t.http().post(path).set(auth).send(body),
      patch: (path, body = {}) => t.http().patch(path).set(auth).send(body),
    };
    employerId = (
      await api
        .post('/api/v1/employers', {
          name: 'Eslövs kommun',
          orgNumber: '212000-1124',
          unitName: 'Kulturförvaltningen',
          sector: 'municipal_department',
          municipality: '1285',
        })
        .expect(201)
    ).body.id;
    supervisorId = (
      await api
        .post(`/api/v1/employers/${employerId}/contact-persons`, {
          name: 'Maria Holm',
          email: 'maria.holm@eslov.se',
        })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a slot as a draft and validates with clear messages', async () => {
    const slot = (await api.post('/api/v1/slots', valid()).expect(201)).body;
    expect(slot).toMatchObject({
      status: 'draft',
      employerName: 'Eslövs kommun',
      unitName: 'Kulturförvaltningen',
      supervisorName: 'Maria Holm',
      sector: 'municipal_department',
      capacity: 2,
    });
    const bad = await api
      .post('/api/v1/slots', { ...valid(), maxWeeks: 27, capacity: 0, tasks: [] })
      .expect(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'maxWeeks', message: 'maxWeeks must be at most 26 weeks (6 months)' },
        { field: 'capacity', message: 'capacity must be at least 1' },
        { field: 'tasks', message: 'tasks must list at least one task' },
      ]),
    );
    const dates = await api
      .post('/api/v1/slots', { ...valid(), availableTo: '2026-12-01' })
      .expect(400);
    expect(dates.body.errors).toEqual([
      { field: 'availableTo', message: 'availableTo must be on or after availableFrom' },
    ]);
    const other = (
      await api.post('/api/v1/employers', { name: 'Annan AB', sector: 'private' }).expect(201)
    ).body.id;
    const otherPerson = (
      await api.post(`/api/v1/employers/${other}/contact-persons`, { name: 'Per' }).expect(201)
    ).body.id;
    const wrongSup = await api
      .post('/api/v1/slots', { ...valid(), supervisorId: otherPerson })
      .expect(400);
    expect(wrongSup.body.errors[0].field).toBe('supervisorId');
  });

  it('checks status changes in one place and lists the allowed ones on a 409', async () => {
    const slot = (await api.post('/api/v1/slots', valid()).expect(201)).body;
    const res = await api.post(`/api/v1/slots/${slot.id}/status`, { status: 'open' }).expect(409);
    expect(res.body).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      from: 'draft',
      to: 'open',
      allowed: ['awaiting_confirmation', 'closed'],
    });
    await api.post(`/api/v1/slots/${slot.id}/status`, { status: 'full' }).expect(409);
    await api
      .post(`/api/v1/slots/${slot.id}/status`, { status: 'closed' })
      .expect(200)
      .expect((r: any) => expect(r.body.status).toBe('closed'));
    await api.patch(`/api/v1/slots/${slot.id}`, { capacity: 3 }).expect(409);
  });

  async function awaiting(): Promise<{ id: string; token: string }> {
    const slot = (await api.post('/api/v1/slots', valid()).expect(201)).body;
    await api
      .post(`/api/v1/slots/${slot.id}/status`, { status: 'awaiting_confirmation' })
      .expect(200);
    const { token } = await t.db.transaction((m) =>
      t.app.get(ActionTokensService).issue(m, 'confirm_slot', slot.id, 14, supervisorId),
    );
    return { id: slot.id, token };
  }

  it('lets the supervisor confirm through the link: GET only shows, POST confirms once', async () => {
    const { id, token } = await awaiting();
    const agent = t.agent();
    const page = await agent.get(`/s/${token}`).expect(200);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('Packa beställningar');
    expect(page.text).toContain('Maria Holm');
    // GET changed nothing (mail scanners follow links)
    expect((await api.get(`/api/v1/slots/${id}`).expect(200)).body.status).toBe(
      'awaiting_confirmation',
    );
    const done = await agent
      .post(`/s/${token}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), action: 'confirm' })
      .expect(200);
    expect(done.text).toContain('Praktikplatsen är bekräftad');
    const slot = (await api.get(`/api/v1/slots/${id}`).expect(200)).body;
    expect(slot.status).toBe('open');
    expect(slot.lastConfirmedAt).not.toBeNull();
    const again = await agent.get(`/s/${token}`).expect(410);
    expect(again.text).toContain('redan använts');
    await agent
      .post(`/s/${token}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), action: 'confirm' })
      .expect(410);
    const audit = await t.db.query(
      `SELECT actor_type, actor_label FROM audit_event WHERE action = 'slot.supervisor_confirm' AND entity_id = ?`,
      [id],
    );
    expect(audit).toEqual([
      { actor_type: 'supervisor_token', actor_label: 'Handledare via länk: Maria Holm' },
    ]);
  });

  it('accepts a confirmation with changed capacity and dates', async () => {
    const { id, token } = await awaiting();
    const agent = t.agent();
    const page = await agent.get(`/s/${token}`).expect(200);
    const invalid = await agent
      .post(`/s/${token}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), action: 'confirm_changes', capacity: '0' })
      .expect(400);
    expect(invalid.text).toContain('capacity must be at least 1');
    await agent
      .post(`/s/${token}`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        action: 'confirm_changes',
        capacity: '4',
        availableTo: '2027-05-31',
        hoursPerWeek: '',
      })
      .expect(200);
    expect((await api.get(`/api/v1/slots/${id}`).expect(200)).body).toMatchObject({
      status: 'open',
      capacity: 4,
      availableTo: '2027-05-31',
      hoursPerWeek: 30,
    });
  });

  it('records a decline with its reason', async () => {
    const { id, token } = await awaiting();
    const agent = t.agent();
    const page = await agent.get(`/s/${token}`).expect(200);
    await agent
      .post(`/s/${token}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), action: 'decline' })
      .expect(400);
    await agent
      .post(`/s/${token}`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        action: 'decline',
        reason: 'Vi har ingen handledare i vår',
      })
      .expect(200);
    expect((await api.get(`/api/v1/slots/${id}`).expect(200)).body).toMatchObject({
      status: 'draft',
      declineReason: 'Vi har ingen handledare i vår',
    });
  });

  it('shows a clear page for an expired or unknown link', async () => {
    const { token } = await awaiting();
    t.clock.advance(15 * 86_400_000);
    try {
      const res = await t.http().get(`/s/${token}`).expect(410);
      expect(res.text).toContain('har gått ut');
      expect(res.text).toContain('Behöver du en ny länk');
    } finally {
      t.clock.reset();
    }
    await t.http().get('/s/not-a-real-token-at-all-xxxxxxxx').expect(404);
  });

  it('searches slots with filters and counts open slots per sector against the target', async () => {
    const list = await api
      .get(
        '/api/v1/slots?status=open&municipality=1285&availableOn=2027-02-01&adaptations=low_threshold',
      )
      .expect(200);
    expect(list.body.total).toBeGreaterThanOrEqual(2);
    expect(list.body.items.every((s: { status: string }) => s.status === 'open')).toBe(true);
    await api
      .get('/api/v1/slots?availableOn=2028-01-01&status=open')
      .expect(200)
      .expect((r: any) => expect(r.body.total).toBe(0));
    await api
      .get('/api/v1/slots?supervisorTrained=true')
      .expect(200)
      .expect((r: any) => expect(r.body.total).toBe(0));
    await api
      .patch(`/api/v1/employers/${employerId}/contact-persons/${supervisorId}`, {
        supervisorTrainedAt: '2026-03-15',
      })
      .expect(200);
    await api
      .get('/api/v1/slots?supervisorTrained=true&status=open')
      .expect(200)
      .expect((r: any) => expect(r.body.items[0].supervisorTrainedAt).toBe('2026-03-15'));
    await api.get('/api/v1/slots?adaptations=teleport').expect(400);
    const counts = await api.get('/api/v1/slots/open-by-sector').expect(200);
    expect(counts.body).toEqual(
      expect.arrayContaining([
        { sector: 'municipal_department', open: list.body.total, target: 40 },
      ]),
    );
  });
});

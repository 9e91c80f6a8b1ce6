import { createOrganisation, createUser, TEST_PASSWORD } from '../factories/users';
import { createTestApp, TestApp } from '../helpers/test-app';

type Agent = ReturnType<TestApp['agent']>;

/** Pulls the CSRF token out of a rendered page. */
function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) {
    throw new Error('no CSRF token in page');
  }
  return m[1];
}

/** The text of a page without tags and with collapsed white space. */
const plain = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ');

describe('internship slot pages', () => {
  let t: TestApp;
  let rec: Agent;
  let coord: Agent;
  let employerId: string;
  let supervisorId: string;
  let untrainedId: string;

  async function signIn(
    roles: Parameters<typeof createUser>[1],
    organisation: string,
  ): Promise<Agent> {
    const user = await createUser(t.db, roles, {
      organisation: await createOrganisation(t.db, { name: organisation }),
    });
    const agent = t.agent();
    await agent
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    return agent;
  }

  async function token(agent: Agent, path = '/slots'): Promise<string> {
    return csrfFrom((await agent.get(path).accept('html').expect(200)).text);
  }

  /** What a recruiter types into the form. */
  const form = (over: Record<string, string | string[]> = {}) => ({
    employerId,
    title: 'Biblioteksassistent',
    occupationField: 'Kultur, media, design',
    ssyk: '4411',
    tasks: 'Ställa upp böcker\r\n\r\n  Hjälpa besökare vid datorerna  \nPacka bokkassar',
    capacity: '2',
    hoursPerWeek: '25',
    municipality: '1285',
    address: 'Stadshuset, Eslöv',
    availableFrom: '2027-01-11',
    availableTo: '2027-06-30',
    maxWeeks: '12',
    drivingLicence: 'true',
    swedishLevel: 'intermediate',
    requirementsOther: 'Skyddsskor',
    adaptations: ['low_threshold', 'quiet_workplace'],
    supervisorId,
    ...over,
  });

  async function submit(agent: Agent, path: string, fields: object, status: number) {
    return agent
      .post(path)
      .accept('html')
      .type('form')
      .send({ _csrf: await token(agent), ...fields })
      .expect(status);
  }

  /** A slot through the API (the session works for the API too). */
  async function apiSlot(over: Record<string, unknown> = {}): Promise<string> {
    const res = await rec
      .post('/api/v1/slots')
      .send({
        employerId,
        title: 'Lagerarbete – plock och pack',
        occupationField: 'Transport, distribution, lager',
        ssyk: '9331',
        tasks: ['Packa beställningar'],
        capacity: 1,
        hoursPerWeek: 30,
        municipality: '1285',
        availableFrom: '2027-01-11',
        maxWeeks: 26,
        adaptations: ['low_threshold'],
        supervisorId,
        ...over,
      })
      .expect(201);
    return res.body.id;
  }

  async function setStatus(id: string, status: string): Promise<void> {
    await rec.post(`/api/v1/slots/${id}/status`).send({ status }).expect(200);
  }

  beforeAll(async () => {
    t = await createTestApp();
    rec = await signIn(['recruiter'], 'Arbetsförmedlingen Eslöv');
    coord = await signIn(['coordinator'], 'Individ- och familjeomsorgen');
    employerId = (
      await rec
        .post('/api/v1/employers')
        .send({
          name: 'Eslövs kommun',
          orgNumber: '212000-1124',
          unitName: 'Kulturförvaltningen',
          sector: 'municipal_department',
          municipality: '1285',
          address: 'Gröna torget 1, Eslöv',
        })
        .expect(201)
    ).body.id;
    supervisorId = (
      await rec
        .post(`/api/v1/employers/${employerId}/contact-persons`)
        .send({
          name: 'Maria Holm',
          email: 'maria.holm@eslov.se',
          supervisorTrainedAt: '2026-03-15',
        })
        .expect(201)
    ).body.id;
    untrainedId = (
      await rec
        .post(`/api/v1/employers/${employerId}/contact-persons`)
        .send({ name: 'Olle Berg', title: 'Bibliotekarie' })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends an anonymous visitor to the sign-in page', async () => {
    const res = await t.http().get('/slots?status=open').accept('html').expect(303);
    expect(res.headers.location).toBe('/login?next=%2Fslots%3Fstatus%3Dopen');
    await t.http().get('/slots/new').accept('html').expect(303);
    await t.http().get(`/slots/${employerId}`).accept('html').expect(303);
  });

  it('lists slots with filters, the trained tag and the open slots per sector against the target', async () => {
    const open = await apiSlot({ title: 'Öppen plats på biblioteket' });
    await setStatus(open, 'awaiting_confirmation');
    await setStatus(open, 'open');
    await apiSlot({
      title: 'Vaktmästeri',
      supervisorId: untrainedId,
      adaptations: ['low_threshold', 'flexible_hours'],
    });

    const res = await rec.get('/slots').accept('html').expect(200);
    const text = plain(res.text);
    expect(res.text).toContain('<h1>Praktikplatser</h1>');
    expect(res.text).toContain('data-testid="new-slot"');
    // The cards: the configured target is 40 municipal departments.
    expect(text).toContain('1 av 40 Kommunala förvaltningar');
    // The filters, with labels.
    for (const label of [
      'Yrkesområde',
      'SSYK-kod',
      'Kommun (kommunkod)',
      'Sektor',
      'Status',
      'Tillgänglig datum',
      'Bara med lediga platser',
      'Handledarutbildning',
      'Låg tröskel',
    ]) {
      expect(text).toContain(label);
    }
    expect(res.text).toMatch(/<label for="availableOn">/);
    // The table: both slots, statuses in Swedish, supervisor with the training tag.
    expect(res.text.match(/data-testid="slot-row"/g)).toHaveLength(2);
    expect(text).toContain('2 praktikplatser');
    expect(text).toContain('Öppen plats på biblioteket');
    expect(text).toContain('Eslövs kommun Kulturförvaltningen');
    expect(text).toContain('Maria Holm utbildad');
    expect(text).toContain('Olle Berg ej utbildad');
    expect(text).toContain('Öppen');
    expect(text).toContain('Utkast');
    expect(text).toContain('2027-01-11 – tills vidare');

    const drafts = await rec.get('/slots?status=draft').accept('html').expect(200);
    expect(drafts.text.match(/data-testid="slot-row"/g)).toHaveLength(1);
    expect(plain(drafts.text)).toContain('Vaktmästeri');
    expect(drafts.text).toContain('<option value="draft" selected>');

    const untrained = await rec.get('/slots?supervisorTrained=false').accept('html').expect(200);
    expect(plain(untrained.text)).toContain('1 praktikplatser');
    expect(plain(untrained.text)).toContain('Vaktmästeri');

    // Several adaptations (checkboxes) must all be offered; the pager keeps them.
    const both = await rec
      .get('/slots?adaptations=low_threshold&adaptations=flexible_hours&limit=1')
      .accept('html')
      .expect(200);
    expect(both.text.match(/data-testid="slot-row"/g)).toHaveLength(1);
    expect(both.text).toMatch(/value="flexible_hours" checked/);
    const low = await rec
      .get('/slots?adaptations=low_threshold&limit=1')
      .accept('html')
      .expect(200);
    expect(low.text).toContain('Sida 1 av 2 (2 st)');
    // (Handlebars escapes "=" in the pager's links as &#x3D;.)
    expect(low.text.replace(/&#x3D;/g, '=')).toContain(
      'href="/slots?adaptations=low_threshold&amp;limit=1&amp;page=2"',
    );

    // A bad filter is shown at the field, not as an error page.
    const bad = await rec.get('/slots?municipality=12').accept('html').expect(400);
    expect(bad.text).toContain('id="municipality-error"');
    expect(plain(bad.text)).toContain('Ange kommunkoden med fyra siffror');

    const en = await rec.get('/slots?lang=en').accept('html').expect(200);
    expect(plain(en.text)).toContain('1 of 40 Municipal departments');
    expect(en.text).toContain('<h1>Internship slots</h1>');
    await rec.get('/slots?lang=sv').accept('html').expect(200);
  });

  it('creates a slot through the form: pick the employer, then fill in the slot', async () => {
    const pick = await rec.get('/slots/new').accept('html').expect(200);
    expect(pick.text).toContain('id="employerQuery"');
    const found = await rec
      .get(`/slots/new?employerQuery=${encodeURIComponent('Eslöv kultur')}`)
      .accept('html')
      .expect(200);
    expect(found.text).toContain(`href="/slots/new?employerId=${employerId}"`);

    const page = await rec.get(`/slots/new?employerId=${employerId}`).accept('html').expect(200);
    const text = plain(page.text);
    expect(text).toContain('Eslövs kommun – Kulturförvaltningen');
    expect(text).toContain('Maria Holm – utbildad 2026-03-15');
    expect(text).toContain('Olle Berg, Bibliotekarie – ej utbildad');
    expect(text).toContain('Högst 26 veckor (6 månader).');
    expect(page.text).toContain('value="Gröna torget 1, Eslöv"'); // prefilled from the employer
    expect(page.text).toContain('<label for="maxWeeks">');

    const res = await submit(rec, '/slots', form(), 303);
    const m = /^\/slots\/([0-9a-f-]{36})\?created=1$/.exec(res.headers.location);
    expect(m).not.toBeNull();
    const id = m![1];
    const [row] = await t.db.query(
      'SELECT tasks, requirements, adaptations, status, capacity, max_weeks, supervisor_id FROM internship_slot WHERE id = ?',
      [id],
    );
    const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    expect(json(row.tasks)).toEqual([
      'Ställa upp böcker',
      'Hjälpa besökare vid datorerna',
      'Packa bokkassar',
    ]);
    expect(json(row.requirements)).toEqual({
      drivingLicence: true,
      swedishLevel: 'intermediate',
      other: 'Skyddsskor',
    });
    expect(String(row.adaptations).split(',').sort()).toEqual(['low_threshold', 'quiet_workplace']);
    expect(row).toMatchObject({ status: 'draft', capacity: 2, max_weeks: 12 });
    expect(row.supervisor_id).toBe(supervisorId);

    const detail = await rec.get(res.headers.location).accept('html').expect(200);
    const dt = plain(detail.text);
    expect(detail.text).toContain('<h1>Biblioteksassistent</h1>');
    expect(dt).toContain('Praktikplatsen är sparad som utkast.');
    expect(dt).toContain('Hjälpa besökare vid datorerna');
    expect(dt).toContain('Goda kunskaper i svenska');
    expect(dt).toContain('Lugn arbetsmiljö');
    expect(dt).toContain('Handledarutbildning utbildad 2026-03-15');
    expect(dt).toContain('Senast bekräftad Inte bekräftad ännu');
    expect(dt).toContain('12 veckor');
  });

  it('re-renders the form with field errors (27 weeks, no tasks) and keeps what was typed', async () => {
    const res = await submit(
      rec,
      '/slots',
      form({ maxWeeks: '27', tasks: ' \n ', capacity: 'två', title: 'Kvar efter felet' }),
      400,
    );
    const text = plain(res.text);
    expect(res.text).toContain('data-testid="form-errors"');
    expect(res.text).toContain('id="maxWeeks-error"');
    expect(text).toContain('Längsta praktiktid får vara högst 26 veckor (6 månader).');
    expect(res.text).toMatch(/id="maxWeeks" name="maxWeeks" value="27"[^>]*aria-invalid="true"/);
    expect(text).toContain('Ange minst en och högst 20 arbetsuppgifter');
    expect(text).toContain('Ange antal platser som ett heltal, 1–50.');
    expect(res.text).toContain('value="Kvar efter felet"');
    expect(res.text).toMatch(/value="quiet_workplace" checked/);
    expect(res.text).toContain(`<option value="${supervisorId}" selected>`);
    // Dates in the wrong order come from the service, shown at the field.
    const dates = await submit(rec, '/slots', form({ availableTo: '2026-12-01' }), 400);
    expect(dates.text).toContain('id="availableTo-error"');
    // English page, English message.
    const en = await rec
      .post('/slots?lang=en')
      .accept('html')
      .type('form')
      .send({ _csrf: await token(rec), ...form({ maxWeeks: '27' }) })
      .expect(400);
    expect(plain(en.text)).toContain('at most 26 weeks (6 months)');
    await rec.get('/slots?lang=sv').accept('html').expect(200);
    const [{ n }] = await t.db.query(
      "SELECT COUNT(*) AS n FROM internship_slot WHERE title = 'Kvar efter felet'",
    );
    expect(Number(n)).toBe(0);
  });

  it('changes status with the buttons; an illegal change shows a 409 page', async () => {
    const id = await apiSlot({ title: 'Statusplats' });
    const page = await rec.get(`/slots/${id}`).accept('html').expect(200);
    // From a draft: ask for confirmation, or close; never open or full by hand.
    expect(page.text).toContain('data-testid="set-status-awaiting_confirmation"');
    expect(page.text).toContain('data-testid="set-status-closed"');
    expect(page.text).not.toContain('data-testid="set-status-open"');
    expect(page.text).not.toContain('data-testid="set-status-full"');
    expect(page.text).toContain(`action="/slots/${id}/status"`);

    const res = await submit(rec, `/slots/${id}/status`, { status: 'awaiting_confirmation' }, 303);
    expect(res.headers.location).toBe(`/slots/${id}?statusChanged=1`);
    const after = await rec.get(res.headers.location).accept('html').expect(200);
    expect(plain(after.text)).toContain('Praktikplatsen har nu status Väntar på bekräftelse.');
    expect(after.text).toContain('data-testid="set-status-open"');
    expect(after.text).toContain('data-testid="set-status-paused"');

    const illegal = await submit(rec, `/slots/${id}/status`, { status: 'full' }, 409);
    const it409 = plain(illegal.text);
    expect(it409).toContain('Något gick fel (409)');
    expect(it409).toContain(
      'En praktikplats kan inte gå från Väntar på bekräftelse till Fullbelagd.',
    );
    expect(it409).toContain('Möjliga ändringar just nu: Öppen, Utkast, Pausad, Stängd.');
    await submit(rec, `/slots/${id}/status`, { status: 'nonsense' }, 400);

    await submit(rec, `/slots/${id}/status`, { status: 'closed' }, 303);
    const closed = await rec.get(`/slots/${id}`).accept('html').expect(200);
    expect(closed.text).not.toContain('data-testid="edit-slot"');
    expect(closed.text).not.toContain('data-testid="set-status-');
    await rec.get(`/slots/${id}/edit`).accept('html').expect(409);
    const again = await submit(rec, `/slots/${id}/status`, { status: 'open' }, 409);
    expect(plain(again.text)).toContain('Statusen kan inte ändras härifrån.');
    await rec.get('/slots/not-an-id').accept('html').expect(400);
    await rec.get('/slots/00000000-0000-4000-8000-000000000000').accept('html').expect(404);
  });

  it('edits a slot with the same form and audits only what changed', async () => {
    const id = await apiSlot({ title: 'Att ändra', requirements: { swedishLevel: 'basic' } });
    const page = await rec.get(`/slots/${id}/edit`).accept('html').expect(200);
    expect(page.text).toContain('<h1>Ändra praktikplats</h1>');
    expect(page.text).toContain('value="Att ändra"');
    expect(page.text).toContain('Packa beställningar</textarea>');
    const unchanged = {
      title: 'Att ändra',
      occupationField: 'Transport, distribution, lager',
      ssyk: '9331',
      tasks: 'Packa beställningar',
      capacity: '1',
      hoursPerWeek: '30',
      municipality: '1285',
      address: '',
      availableFrom: '2027-01-11',
      availableTo: '',
      maxWeeks: '26',
      swedishLevel: 'basic',
      requirementsOther: '',
      adaptations: 'low_threshold',
      supervisorId,
    };
    const bad = await submit(rec, `/slots/${id}`, { ...unchanged, maxWeeks: '27' }, 400);
    expect(plain(bad.text)).toContain('högst 26 veckor (6 månader)');
    const res = await submit(
      rec,
      `/slots/${id}`,
      { ...unchanged, capacity: '3', supervisorId: untrainedId },
      303,
    );
    expect(res.headers.location).toBe(`/slots/${id}?saved=1`);
    const detail = plain((await rec.get(res.headers.location).accept('html').expect(200)).text);
    expect(detail).toContain('Ändringarna är sparade.');
    expect(detail).toContain('Olle Berg, Bibliotekarie');
    const [row] = await t.db.query(
      'SELECT capacity, supervisor_id FROM internship_slot WHERE id = ?',
      [id],
    );
    expect(row).toEqual({ capacity: 3, supervisor_id: untrainedId });
    const [audit] = await t.db.query(
      "SELECT detail FROM audit_event WHERE action = 'slot.update' AND entity_id = ?",
      [id],
    );
    const detailJson = typeof audit.detail === 'string' ? JSON.parse(audit.detail) : audit.detail;
    expect(detailJson.fields.sort()).toEqual(['capacity', 'supervisorId']);
  });

  it('lets a coordinator read slots but not create, edit or change them', async () => {
    const id = await apiSlot({ title: 'Läsbar plats' });
    const list = await coord.get('/slots').accept('html').expect(200);
    expect(list.text).not.toContain('data-testid="new-slot"');
    expect(plain(list.text)).toContain('Läsbar plats');
    const page = await coord.get(`/slots/${id}`).accept('html').expect(200);
    expect(page.text).not.toContain('data-testid="set-status-');
    expect(page.text).not.toContain('data-testid="edit-slot"');
    await coord.get('/slots/new').accept('html').expect(403);
    await coord.get(`/slots/${id}/edit`).accept('html').expect(403);
    const csrf = await token(coord);
    await coord
      .post('/slots')
      .accept('html')
      .type('form')
      .send({ _csrf: csrf, ...form() })
      .expect(403);
    await coord
      .post(`/slots/${id}/status`)
      .accept('html')
      .type('form')
      .send({ _csrf: csrf, status: 'closed' })
      .expect(403);
    const [{ status }] = await t.db.query('SELECT status FROM internship_slot WHERE id = ?', [id]);
    expect(status).toBe('draft');
  });
});

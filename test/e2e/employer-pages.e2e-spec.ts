import { connect } from 'node:net';
import { createOrganisation, createUser, TEST_PASSWORD } from '../factories/users';
import { createTestApp, TestApp } from '../helpers/test-app';

type Agent = ReturnType<TestApp['agent']>;

/** Pulls the CSRF token out of a rendered form. */
function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) {
    throw new Error('no CSRF token in page');
  }
  return m[1];
}

const CSV = [
  'Företagsnamn;Organisationsnummer;Enhet;Sektor;Kommun;Okänd kolumn',
  'Bageriet i Eslöv AB;556677-8899;;privat;1285;x',
  'Eslövs kommun;212000-1124;Kulturförvaltningen;kommunal förvaltning;1285;',
  ';5566778899;;privat;1285;', // invalid: no name
  'Bageriet i Eslöv Aktiebolag;5566778899;;privat;1285;', // the same as line 2
].join('\r\n');

describe('employer register pages', () => {
  let t: TestApp;
  let rec: Agent;
  let recruiter: Awaited<ReturnType<typeof createUser>>;

  async function signIn(roles: Parameters<typeof createUser>[1]): Promise<Agent> {
    const user = await createUser(t.db, roles);
    const agent = t.agent();
    await agent
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    return agent;
  }

  /** A page's CSRF token for this agent's session. */
  async function token(agent: Agent, path = '/employers/new'): Promise<string> {
    return csrfFrom((await agent.get(path).accept('html').expect(200)).text);
  }

  async function submitEmployer(
    agent: Agent,
    fields: Record<string, string | string[]>,
    status: number,
  ) {
    return agent
      .post('/employers')
      .accept('html')
      .type('form')
      .send({ _csrf: await token(agent), sector: 'private', status: 'prospect', ...fields })
      .expect(status);
  }

  beforeAll(async () => {
    t = await createTestApp({}, { listen: true });
    recruiter = await createUser(t.db, ['recruiter'], {
      name: 'Rita Rekryterare',
      organisation: await createOrganisation(t.db, { name: 'Arbetsförmedlingen Eslöv' }),
    });
    rec = t.agent();
    await rec
      .post('/api/v1/auth/login')
      .send({ email: recruiter.email, password: TEST_PASSWORD })
      .expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends an anonymous visitor to the sign-in page', async () => {
    const res = await t.http().get('/employers?sector=private').accept('html').expect(303);
    expect(res.headers.location).toBe('/login?next=%2Femployers%3Fsector%3Dprivate');
    await t.http().get('/employers/new').accept('html').expect(303);
  });

  it('creates an employer through the form and lands on its page', async () => {
    const res = await submitEmployer(
      rec,
      {
        name: 'Café Åkerlund AB',
        orgNumber: '556016-0680',
        municipality: '1285',
        segments: ['small_business', 'shortage_occupation'],
        ownerUserId: recruiter.id,
        minDaysBetweenContacts: '',
        sizeClass: '',
        preferredChannel: 'phone',
      },
      303,
    );
    const m = /^\/employers\/([0-9a-f-]{36})\?created=1$/.exec(res.headers.location);
    expect(m).not.toBeNull();
    const page = await rec.get(res.headers.location).accept('html').expect(200);
    expect(page.text).toContain('<h1>Café Åkerlund AB');
    expect(page.text).toContain('Arbetsgivaren är skapad.');
    expect(page.text).toContain('556016-0680');
    expect(page.text).toContain('Rita Rekryterare');
    expect(page.text).toContain('Småföretag');
    expect(page.text).toContain('Kontakthistorik');
    const [row] = await t.db.query(
      'SELECT segments, owner_user_id, preferred_channel, min_days_between_contacts FROM employer WHERE id = ?',
      [m![1]],
    );
    expect(row.owner_user_id).toBe(recruiter.id);
    expect(row.preferred_channel).toBe('phone');
    expect(row.min_days_between_contacts).toBeNull();
    expect(String(row.segments).split(',').sort()).toEqual([
      'shortage_occupation',
      'small_business',
    ]);
  });

  it('re-renders the form with field errors in Swedish', async () => {
    const res = await submitEmployer(
      rec,
      {
        name: '',
        orgNumber: '556016-0681',
        municipality: '12',
      },
      400,
    );
    expect(res.text).toContain('Ange arbetsgivarens namn');
    expect(res.text).toContain('Ange ett giltigt organisationsnummer');
    expect(res.text).toContain('Ange kommunkoden med fyra siffror');
    expect(res.text).toContain('aria-invalid="true" aria-describedby="name-error"');
    expect(res.text).toContain('value="556016-0681"');
  });

  it('warns about a likely duplicate with the candidate, and creates it when confirmed', async () => {
    const warned = await submitEmployer(
      rec,
      {
        name: 'Cafe Akerlund',
        municipality: '1285',
      },
      409,
    );
    expect(warned.text).toContain('Arbetsgivaren kan redan finnas i registret');
    expect(warned.text).toContain('data-testid="duplicate-candidate"');
    expect(warned.text).toContain('Café Åkerlund AB');
    expect(warned.text).toContain('Samma namn (bortsett från stavning och bolagsform)');
    expect(warned.text).toMatch(/\d+ % lika/);
    expect(warned.text).toContain('Det här är inte en dubblett – skapa ändå');
    // the values are kept
    expect(warned.text).toContain('value="Cafe Akerlund"');

    const created = await submitEmployer(
      rec,
      {
        name: 'Cafe Akerlund',
        municipality: '1285',
        confirmNotDuplicate: 'true',
      },
      303,
    );
    const page = await rec.get(created.headers.location).accept('html').expect(200);
    // the new employer's page points at the existing one
    expect(page.text).toContain('data-testid="duplicates-box"');
    expect(page.text).toContain('Café Åkerlund AB');
    const audit = await t.db.query(
      "SELECT detail FROM audit_event WHERE action = 'employer.create' ORDER BY at DESC LIMIT 1",
    );
    expect(JSON.stringify(audit[0].detail)).toContain('confirmedNotDuplicateOf');
  });

  it('refuses an employer that certainly exists and links to it', async () => {
    const res = await submitEmployer(
      rec,
      {
        name: 'Något helt annat',
        orgNumber: '5560160680',
        confirmNotDuplicate: 'true',
      },
      409,
    );
    expect(res.text).toContain('Arbetsgivaren finns redan');
    expect(res.text).not.toContain('name="confirmNotDuplicate" value="true" aria-describedby');
  });

  it('lists employers with filters, masks sole traders and links the export to the filters', async () => {
    await submitEmployer(
      rec,
      {
        name: 'Frisör Andersson',
        orgNumber: '19811218-9876',
        municipality: '1266',
      },
      303,
    );
    const all = await rec.get('/employers').accept('html').expect(200);
    expect(all.text).toContain('<h1>Arbetsgivarregistret</h1>');
    expect(all.text).toContain('Frisör Andersson');
    expect(all.text).toContain('811218-XXXX');
    expect(all.text).not.toContain('811218-9876');
    expect(all.text).toContain('href="/employers/new"');
    expect(all.text).toContain('href="/employers/duplicates"');

    const filtered = await rec
      .get('/employers')
      .query({ q: 'akerlund', municipality: '1285', sector: 'private', owner: 'me', sort: '-name' })
      .accept('html')
      .expect(200);
    const rows = filtered.text.match(/data-testid="employer-row"/g) ?? [];
    expect(rows).toHaveLength(1); // only the one Rita owns
    expect(filtered.text).toContain('Café Åkerlund AB');
    const html = filtered.text.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    expect(html).toContain(
      'href="/api/v1/employers/export.csv?q=akerlund&sector=private&municipality=1285&owner=me&sort=-name"',
    );
    expect(filtered.text).toMatch(/<option value="-name" selected>/);
    expect(filtered.text).toMatch(/name="owner" value="me" checked/);

    const bad = await rec.get('/employers?municipality=12').accept('html').expect(400);
    expect(bad.text).toContain('Ange kommunkoden med fyra siffror');
  });

  it('edits an employer and archives it', async () => {
    const id = (await t.db.query("SELECT id FROM employer WHERE name = 'Frisör Andersson'"))[0]
      .id as string;
    const form = await rec.get(`/employers/${id}/edit`).accept('html').expect(200);
    // staff see the full number on the edit form
    expect(form.text).toContain('value="811218-9876"');
    const saved = await rec
      .post(`/employers/${id}`)
      .accept('html')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        name: 'Frisör Andersson',
        orgNumber: '811218-9876',
        sector: 'private',
        municipality: '1266',
        status: 'do_not_contact',
        doNotContactReason: 'Har bett att inte bli kontaktad',
        address: 'Storgatan 1',
      })
      .expect(303);
    expect(saved.headers.location).toBe(`/employers/${id}?saved=1`);
    const audit = await t.db.query(
      "SELECT detail FROM audit_event WHERE action = 'employer.update' AND entity_id = ?",
      [id],
    );
    const detail =
      typeof audit[0].detail === 'string' ? JSON.parse(audit[0].detail) : audit[0].detail;
    expect(detail.fields.sort()).toEqual(['address', 'doNotContactReason', 'status']);
    const page = await rec.get(`/employers/${id}`).accept('html').expect(200);
    expect(page.text).toContain('Har bett att inte bli kontaktad');
    await rec
      .post(`/employers/${id}/archive`)
      .accept('html')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    const list = await rec.get('/employers').accept('html').expect(200);
    expect(list.text).not.toContain('Frisör Andersson');
    const archived = await rec.get('/employers?includeArchived=true').accept('html').expect(200);
    expect(archived.text).toContain('Frisör Andersson');
  });

  it('adds and removes contact persons, with field errors', async () => {
    const id = (await t.db.query("SELECT id FROM employer WHERE name = 'Café Åkerlund AB'"))[0]
      .id as string;
    const page = await rec.get(`/employers/${id}`).accept('html').expect(200);
    const bad = await rec
      .post(`/employers/${id}/contact-persons`)
      .accept('html')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), name: 'Maria Holm', email: 'inte-en-adress' })
      .expect(400);
    expect(bad.text).toContain('Ange en giltig e-postadress');
    expect(bad.text).toContain('value="Maria Holm"');
    await rec
      .post(`/employers/${id}/contact-persons`)
      .accept('html')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        name: 'Maria Holm',
        email: 'Maria.Holm@akerlund.se',
        phone: '0413-620 00',
        isPrimary: 'true',
      })
      .expect(303);
    const after = await rec.get(`/employers/${id}`).accept('html').expect(200);
    expect(after.text).toContain('maria.holm@akerlund.se');
    const personId = /contact-persons\/([0-9a-f-]{36})\/delete/.exec(after.text)![1];
    await rec
      .post(`/employers/${id}/contact-persons/${personId}/delete`)
      .accept('html')
      .type('form')
      .send({ _csrf: csrfFrom(after.text) })
      .expect(303);
    const gone = await rec.get(`/employers/${id}`).accept('html').expect(200);
    expect(gone.text).not.toContain('maria.holm@akerlund.se');
  });

  it('shows possible duplicates, merges a pair and redirects the old id to the survivor', async () => {
    const [a] = await t.db.query("SELECT id FROM employer WHERE name = 'Café Åkerlund AB'");
    const [b] = await t.db.query("SELECT id FROM employer WHERE name = 'Cafe Akerlund'");
    const dups = await rec.get('/employers/duplicates').accept('html').expect(200);
    expect(dups.text).toContain('<h1>Möjliga dubbletter</h1>');
    expect(dups.text).toContain('data-testid="duplicate-pair"');
    expect(dups.text).toContain('Slå ihop B in i A');

    const preview = await rec
      .get(`/employers/${a.id}/merge`)
      .query({ mergedId: b.id })
      .accept('html')
      .expect(200);
    // Rita owns A but not B: she may not merge them.
    expect(preview.text).toContain('data-testid="merge-not-allowed"');
    expect(preview.text).not.toContain('data-testid="confirm-merge"');

    await t.db.query('UPDATE employer SET owner_user_id = ? WHERE id = ?', [recruiter.id, b.id]);
    const allowed = await rec
      .get(`/employers/${a.id}/merge?mergedId=${b.id}`)
      .accept('html')
      .expect(200);
    expect(allowed.text).toContain('data-testid="confirm-merge"');
    expect(allowed.text).toContain('Cafe Akerlund slås ihop in i Café Åkerlund AB');
    const merged = await rec
      .post(`/employers/${a.id}/merge`)
      .accept('html')
      .type('form')
      .send({ _csrf: csrfFrom(allowed.text), mergedId: b.id })
      .expect(303);
    expect(merged.headers.location).toBe(`/employers/${a.id}?merged=1`);
    const old = await rec.get(`/employers/${b.id}`).accept('html').expect(301);
    expect(old.headers.location).toBe(`/employers/${a.id}?mergedFrom=1`);
    const after = await rec.get('/employers/duplicates').accept('html').expect(200);
    expect(after.text).not.toContain('data-testid="duplicate-pair"');
  });

  it('marks a pair as not duplicates from the possible-duplicates page', async () => {
    await submitEmployer(rec, { name: 'Nilssons Bygg AB', municipality: '1285' }, 303);
    await submitEmployer(
      rec,
      {
        name: 'Nilssons Bygg',
        municipality: '1285',
        confirmNotDuplicate: 'true',
      },
      303,
    );
    const page = await rec.get('/employers/duplicates').accept('html').expect(200);
    const m =
      /action="\/employers\/([0-9a-f-]{36})\/not-duplicate"[\s\S]*?name="otherId" value="([0-9a-f-]{36})"/.exec(
        page.text,
      );
    expect(m).not.toBeNull();
    const res = await rec
      .post(`/employers/${m![1]}/not-duplicate`)
      .accept('html')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), otherId: m![2], returnTo: '/employers/duplicates' })
      .expect(303);
    expect(res.headers.location).toBe('/employers/duplicates?notDuplicate=1');
    const after = await rec.get(res.headers.location).accept('html').expect(200);
    expect(after.text).toContain('föreslås inte igen');
    expect(after.text).not.toContain('data-testid="duplicate-pair"');
    // the employer page no longer warns about it either
    const detail = await rec.get(`/employers/${m![1]}`).accept('html').expect(200);
    expect(detail.text).not.toContain('data-testid="duplicates-box"');
  });

  it('dry-runs an uploaded CSV (multipart) and shows the report', async () => {
    const form = await rec.get('/employers/import').accept('html').expect(200);
    const csrf = csrfFrom(form.text);
    expect(form.text).toContain(`action="/employers/import?_csrf=${csrf}"`);
    expect(form.text).toMatch(/name="dryRun" value="true" checked/);
    const before = Number((await t.db.query('SELECT COUNT(*) AS n FROM employer'))[0].n);
    const res = await rec
      .post(`/employers/import?_csrf=${encodeURIComponent(csrf)}`)
      .accept('html')
      .field('_csrf', csrf)
      .field('dryRun', 'false')
      .field('dryRun', 'true')
      .attach('file', Buffer.from(CSV, 'utf8'), {
        filename: 'arbetsgivare.csv',
        contentType: 'text/csv',
      })
      .expect(303);
    const m = /^\/employers\/imports\/([0-9a-f-]{36})$/.exec(res.headers.location);
    expect(m).not.toBeNull();
    const report = await rec.get(res.headers.location).accept('html').expect(200);
    expect(report.text).toContain('Det här var en provkörning. Ingenting har sparats.');
    expect(report.text).toContain('Importera på riktigt');
    expect(report.text).toMatch(/data-testid="count-total">4</);
    expect(report.text).toMatch(/data-testid="count-new">2</);
    expect(report.text).toMatch(/data-testid="count-duplicate">1</);
    expect(report.text).toMatch(/data-testid="count-invalid">1</);
    expect(report.text).toContain('semikolon (;)');
    expect(report.text).toContain('Okänd kolumn');
    expect(report.text).toContain('Samma som rad 2.');
    const after = Number((await t.db.query('SELECT COUNT(*) AS n FROM employer'))[0].n);
    expect(after).toBe(before);

    const invalidOnly = await rec
      .get(`${res.headers.location}?status=invalid`)
      .accept('html')
      .expect(200);
    expect(invalidOnly.text.match(/data-testid="import-row"/g)).toHaveLength(1);
    expect(invalidOnly.text).toContain('Namn:');

    // Seen from another tab while it runs, the report refreshes itself to show progress.
    await t.db.query("UPDATE employer_import SET status = 'running' WHERE id = ?", [m![1]]);
    const running = await rec.get(res.headers.location).accept('html').expect(200);
    expect(running.headers.refresh).toBe('2');
    expect(running.text).toContain('Inläsningen pågår. Sidan uppdateras automatiskt.');
  });

  it('imports for real when the dry-run box is not ticked, and refuses a missing file', async () => {
    const csrf = await token(rec, '/employers/import');
    const res = await rec
      .post(`/employers/import?_csrf=${encodeURIComponent(csrf)}`)
      .set('x-csrf-token', csrf)
      .accept('html')
      .field('dryRun', 'false')
      .attach('file', Buffer.from(CSV, 'utf8'), 'arbetsgivare.csv')
      .expect(303);
    const report = await rec.get(res.headers.location).accept('html').expect(200);
    expect(report.text).toMatch(/data-testid="count-created">2</);
    expect(report.text).toContain('Visa arbetsgivaren');

    const none = await rec
      .post(`/employers/import?_csrf=${encodeURIComponent(csrf)}`)
      .set('x-csrf-token', csrf)
      .accept('html')
      .field('dryRun', 'true')
      .expect(400);
    expect(none.text).toContain('Välj en CSV-fil att läsa in.');
  });

  it('records an upload the client abandons halfway as a failed import (nothing hangs)', async () => {
    const user = await createUser(t.db, ['recruiter']);
    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    const cookie = (login.headers['set-cookie'] as unknown as string[])
      .map((c) => c.split(';')[0])
      .join('; ');
    const form = await t.http().get('/employers/import').set('Cookie', cookie).accept('html');
    const csrf = csrfFrom(form.text);
    const boundary = 'pn-test-boundary';
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="dryRun"\r\n\r\ntrue\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="halv.csv"\r\n` +
      `Content-Type: text/csv\r\n\r\nFöretagsnamn;Kommun\r\nHalvvägs AB;1285\r\n`;
    const { port } = t.app.getHttpServer().address() as { port: number };
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      [
        `POST /employers/import?_csrf=${encodeURIComponent(csrf)} HTTP/1.1`,
        'Host: 127.0.0.1',
        `Cookie: ${cookie}`,
        `x-csrf-token: ${csrf}`,
        'Accept: text/html',
        `Content-Type: multipart/form-data; boundary=${boundary}`,
        'Content-Length: 100000',
        '',
        body,
      ].join('\r\n'),
    );
    const started = Date.now();
    let row: { status: string; error: string | null } | undefined;
    while (Date.now() - started < 10_000) {
      [row] = await t.db.query(
        "SELECT status, error FROM employer_import WHERE filename = 'halv.csv'",
      );
      if (row) {
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(row?.status).toBe('running');
    socket.destroy();
    while (Date.now() - started < 10_000 && row?.status === 'running') {
      await new Promise((r) => setTimeout(r, 50));
      [row] = await t.db.query(
        "SELECT status, error FROM employer_import WHERE filename = 'halv.csv'",
      );
    }
    expect(row).toMatchObject({ status: 'failed' });
    expect(row!.error).toContain('the upload was interrupted');
  });

  it('lets a coordinator view the register but not change it', async () => {
    const coord = await signIn(['coordinator']);
    const list = await coord.get('/employers').accept('html').expect(200);
    expect(list.text).toContain('Café Åkerlund AB');
    expect(list.text).not.toContain('href="/employers/new"');
    const id = /href="\/employers\/([0-9a-f-]{36})"/.exec(list.text)![1];
    const page = await coord.get(`/employers/${id}`).accept('html').expect(200);
    expect(page.text).not.toContain('/edit"');
    expect(page.text).not.toContain('Lägg till kontaktperson');
    await coord.get('/employers/new').accept('html').expect(403);
    await coord.get('/employers/duplicates').accept('html').expect(403);
    await coord.get('/employers/import').accept('html').expect(403);
    await coord
      .post('/employers')
      .accept('html')
      .type('form')
      .send({ _csrf: csrfFrom(list.text), name: 'Ny AB', sector: 'private' })
      .expect(403);
  });

  it('shows the register link in the menu', async () => {
    const start = await rec.get('/recruiter').accept('html').expect(200);
    expect(start.text).toContain('<a href="/employers" >Arbetsgivare</a>');
    expect(start.text).toContain('href="/employers?owner=me"');
    const list = await rec.get('/employers').accept('html').expect(200);
    expect(list.text).toContain('<a href="/employers" aria-current="page">Arbetsgivare</a>');
    const en = await rec.get('/employers?lang=en').accept('html').expect(200);
    expect(en.text).toContain('<h1>Employer register</h1>');
    expect(en.text).toContain('New employer');
    await rec.get('/employers?lang=sv').accept('html').expect(200);
  });
});

import { AuthService } from '../../src/auth/auth.service';
import { Principal } from '../../src/common/request-context';
import { SlotMailService } from '../../src/slots/slot-mail.service';
import { createOrganisation, createUser } from '../factories/users';
import { SmtpSink, sleep } from '../helpers/smtp-sink';
import { createTestApp, TestApp } from '../helpers/test-app';

/** Wednesday 2026-11-18 10:00 in Stockholm: a business day inside the sending window. */
const WEDNESDAY_10 = new Date('2026-11-18T09:00:00Z');
const DAY = 86_400_000;

function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) {
    throw new Error('no CSRF token in page');
  }
  return m[1];
}

describe('slot confirmation by email link, re-confirmation, reminder, pause', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let api: {
    get: (p: string) => any;
    post: (p: string, b?: object) => any;
    patch: (p: string, b?: object) => any;
  };
  let owner: Awaited<ReturnType<typeof createUser>>;
  let seq = 0;

  async function employerWithSupervisor() {
    const employerId = (
      await api
        .post('/api/v1/employers', {
          name: `Praktikgivaren ${++seq} AB`,
          sector: 'private',
          municipality: '1285',
          confirmNotDuplicate: true,
        })
        .expect(201)
    ).body.id;
    const email = `handledare${seq}.${Date.now()}@arbetsplats.se`;
    const supervisorId = (
      await api
        .post(`/api/v1/employers/${employerId}/contact-persons`, {
          name: `Maria Handledare${seq}`,
          email,
        })
        .expect(201)
    ).body.id;
    return { employerId, supervisorId, email };
  }
  async function slot(employerId: string, supervisorId: string, title = 'Lagerarbete') {
    return (
      await api
        .post('/api/v1/slots', {
          employerId,
          supervisorId,
          title,
          occupationField: 'Transport, distribution, lager',
          tasks: ['Packa'],
          capacity: 1,
          hoursPerWeek: 30,
          municipality: '1285',
          availableFrom: '2027-01-11',
          maxWeeks: 12,
        })
        .expect(201)
    ).body.id as string;
  }
  async function linkIn(to: string, n = 1): Promise<string> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const mine = sink.messages().filter((m) => m.to.includes(to));
      if (mine.length >= n) {
        const parsed = await sink.parse(mine[n - 1]);
        const m = /\/s\/([A-Za-z0-9_-]{20,})/.exec(parsed.text ?? '');
        if (!m) {
          throw new Error(`no link in: ${parsed.text}`);
        }
        return m[1];
      }
      if (Date.now() > deadline) {
        throw new Error(`no email ${n} to ${to}`);
      }
      await sleep(100);
    }
  }

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({
      SMTP_URL: sink.url,
      MAIL_RETRY_BASE_SECONDS: '1',
      MAIL_RETRY_MAX_SECONDS: '1',
      MAIL_SWEEP_SECONDS: '3600',
      MAIL_STALE_SECONDS: '1',
    });
    const org = await createOrganisation(t.db, { name: 'Arbetsmarknadsenheten Eslöv' });
    owner = await createUser(t.db, ['recruiter'], {
      organisation: org,
      email: `agaren.${Date.now()}@eslov.se`,
    });
    const p: Principal = {
      userId: owner.id,
      name: owner.name,
      email: owner.email,
      roles: owner.roles,
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
  });
  beforeEach(() => {
    sink.clear();
    t.clock.freeze(WEDNESDAY_10);
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('emails the supervisor a link; GET shows, POST confirms, the slot opens; the link then shows 410', async () => {
    const { employerId, supervisorId, email } = await employerWithSupervisor();
    const id = await slot(employerId, supervisorId);
    const asked = await api.post(`/api/v1/slots/${id}/request-confirmation`).expect(200);
    expect(asked.body.status).toBe('awaiting_confirmation');
    const token = await linkIn(email);
    const agent = t.agent();
    const page = await agent.get(`/s/${token}`).expect(200);
    expect(page.text).toContain('Lagerarbete');
    await agent
      .post(`/s/${token}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), action: 'confirm' })
      .expect(200);
    expect((await api.get(`/api/v1/slots/${id}`).expect(200)).body.status).toBe('open');
    await agent.get(`/s/${token}`).expect(410);
    // the email is part of the employer's contact history
    const history = await api.get(`/api/v1/employers/${employerId}/contacts`).expect(200);
    expect(history.body.items[0]).toMatchObject({ channel: 'email', userId: null });
  });

  it('asks again after 91 days, reminds once, then pauses the slot and tells its owner', async () => {
    const { employerId, supervisorId, email } = await employerWithSupervisor();
    const id = await slot(employerId, supervisorId, 'Parkarbetare');
    await api.post(`/api/v1/slots/${id}/request-confirmation`).expect(200);
    const token = await linkIn(email);
    const agent = t.agent();
    const page = await agent.get(`/s/${token}`).expect(200);
    await agent
      .post(`/s/${token}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), action: 'confirm' })
      .expect(200);
    const scans = t.app.get(SlotMailService);

    t.clock.freeze(new Date(WEDNESDAY_10.getTime() + 91 * DAY)); // Wed 2027-02-17
    expect((await scans.scan()).requested).toBeGreaterThanOrEqual(1); // this slot (and the first test's)
    expect(await scans.scan()).toMatchObject({ requested: 0, reminded: 0 }); // a second run sends nothing twice
    await linkIn(email, 2);

    t.clock.freeze(new Date(WEDNESDAY_10.getTime() + 106 * DAY)); // Thu 2027-03-04: the link expired
    expect((await scans.scan()).reminded).toBeGreaterThanOrEqual(1);
    await linkIn(email, 3);
    const reminder = await sink.parse(sink.messages().filter((m) => m.to.includes(email))[2]);
    expect(reminder.subject).toContain('Påminnelse');

    t.clock.freeze(new Date(WEDNESDAY_10.getTime() + 121 * DAY)); // Fri 2027-03-19: no answer to the reminder either
    expect((await scans.scan()).paused).toBeGreaterThanOrEqual(1);
    expect((await api.get(`/api/v1/slots/${id}`).expect(200)).body.status).toBe('paused');
    const deadline = Date.now() + 20_000;
    while (!sink.messages().some((m) => m.to.includes(owner.email)) && Date.now() < deadline) {
      await sleep(100);
    }
    await sleep(500);
    const notices = await Promise.all(
      sink
        .messages()
        .filter((m) => m.to.includes(owner.email))
        .map((m) => sink.parse(m)),
    );
    const all = notices.map((n) => `${n.subject}\n${n.text}`).join('\n');
    expect(all).toContain('Praktikplatsen Parkarbetare är pausad');
  });

  it('sends a supervisor of three slots one digest, not three emails', async () => {
    const { employerId, supervisorId, email } = await employerWithSupervisor();
    const ids = [
      await slot(employerId, supervisorId, 'Köksbiträde'),
      await slot(employerId, supervisorId, 'Diskare'),
      await slot(employerId, supervisorId, 'Städare'),
    ];
    // A pending email makes the others wait for the digest window; the pipeline merges them.
    t.clock.freeze(new Date('2026-11-18T18:00:00Z')); // evening: held until the next morning
    for (const id of ids) {
      await api.post(`/api/v1/slots/${id}/request-confirmation`).expect(200);
    }
    await sleep(500);
    expect(sink.messages().filter((m) => m.to.includes(email))).toHaveLength(0);
    t.clock.freeze(new Date('2026-11-19T08:30:00Z')); // Thursday morning
    await t.app.get((await import('../../src/mail/mail-relay')).MailRelay).sweep();
    const deadline = Date.now() + 20_000;
    while (
      sink.messages().filter((m) => m.to.includes(email)).length < 1 &&
      Date.now() < deadline
    ) {
      await sleep(100);
    }
    await sleep(1000);
    const mine = sink.messages().filter((m) => m.to.includes(email));
    expect(mine).toHaveLength(1);
    const text = (await sink.parse(mine[0])).text ?? '';
    for (const title of ['Köksbiträde', 'Diskare', 'Städare']) {
      expect(text).toContain(title);
    }
    expect((text.match(/\/s\/[A-Za-z0-9_-]{20,}/g) ?? []).length).toBe(3);
  });
});

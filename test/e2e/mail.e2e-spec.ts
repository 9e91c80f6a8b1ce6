import { AuthService } from '../../src/auth/auth.service';
import { Principal } from '../../src/common/request-context';
import { ContactPerson } from '../../src/employers/contact-person.entity';
import { MailOutbox } from '../../src/mail/mail-outbox.entity';
import { MailRelay } from '../../src/mail/mail-relay';
import { EnqueueMail, MailService } from '../../src/mail/mail.service';
import { Organisation } from '../../src/organisations/organisation.entity';
import { createOrganisation, createUser } from '../factories/users';
import { SmtpSink, sleep, waitForRow, waitForRows } from '../helpers/smtp-sink';
import { createTestApp, TestApp } from '../helpers/test-app';

/** Wednesday 2026-11-18 10:00 in Stockholm: a business day inside the sending window. */
const WEDNESDAY_10 = new Date('2026-11-18T09:00:00Z');

describe('mail pipeline: outbox, decide, send', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let mail: MailService;
  let relay: MailRelay;
  let org: Organisation;
  let other: Organisation;
  let admin: Awaited<ReturnType<typeof actor>>;
  let seq = 0;

  /** A user of `organisation` speaking through a Bearer token. */
  async function actor(organisation: Organisation, roles: ('recruiter' | 'admin')[]) {
    const user = await createUser(t.db, roles, { organisation });
    const p: Principal = {
      userId: user.id,
      name: user.name,
      email: user.email,
      roles: user.roles,
      organisationId: organisation.id,
      organisationName: organisation.name,
      via: 'session',
    };
    const { token } = await t.app.get(AuthService).createToken(p, 'test');
    const auth = { Authorization: `Bearer ${token}` };
    return {
      user,
      get: (path: string) => t.http().get(path).set(auth),
      post: (path: string, body: object = {}) => t.http().post(path).set(auth).send(body),
      patch: (path: string, body: object = {}) => t.http().patch(path).set(auth).send(body),
    };
  }

  async function employerWithContact(extra: object = {}) {
    const employerId = (
      await admin
        .post('/api/v1/employers', {
          name: `Mejlmottagaren ${++seq} AB`,
          sector: 'private',
          municipality: '1285',
          confirmNotDuplicate: true,
          ...extra,
        })
        .expect(201)
    ).body.id as string;
    const email = `kontakt${seq}.${Date.now()}@arbetsgivare.se`;
    const person = (
      await admin
        .post(`/api/v1/employers/${employerId}/contact-persons`, { name: `Maria ${seq}`, email })
        .expect(201)
    ).body as { id: string };
    return { employerId, contactPersonId: person.id, email };
  }

  function notice(overrides: Partial<EnqueueMail> & Pick<EnqueueMail, 'to'>): EnqueueMail {
    return {
      dedupKey: `test:${++seq}:${Date.now()}`,
      template: 'notice',
      locale: 'sv',
      payload: { subject: `Meddelande ${seq}`, paragraphs: [`Stycke ${seq}`] },
      category: 'internal',
      onBehalfOf: org.id,
      ...overrides,
    };
  }

  async function send(...inputs: EnqueueMail[]): Promise<MailOutbox[]> {
    return mail.transaction(async (_m, enqueue) => {
      const rows: MailOutbox[] = [];
      for (const input of inputs) {
        rows.push(await enqueue(input));
      }
      return rows;
    });
  }

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({
      SMTP_URL: sink.url,
      MAIL_FROM: 'Praktiknav <no-reply@praktiknav.test>',
      MAIL_RETRY_BASE_SECONDS: '1',
      MAIL_RETRY_MAX_SECONDS: '1',
      // The tests run the sweeper themselves, at the (moved) time they choose.
      MAIL_SWEEP_SECONDS: '3600',
      MAIL_STALE_SECONDS: '1',
    });
    mail = t.app.get(MailService);
    relay = t.app.get(MailRelay);
    org = await createOrganisation(t.db, { name: 'Arbetsmarknadsenheten Eslöv' });
    other = await createOrganisation(t.db, { name: 'Arbetsförmedlingen Eslöv' });
    admin = await actor(org, ['admin', 'recruiter']);
  });
  beforeEach(() => {
    sink.clear();
    t.clock.reset();
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('sends an internal email once, with a Message-ID derived from the outbox id', async () => {
    const [row] = await send(
      notice({ to: 'Anna.Andersson@Eslov.se', toName: 'Anna Andersson', locale: 'en' }),
    );
    const sent = await waitForRow(t.db, row.id, ['sent']);
    const [msg] = await sink.waitFor(1);
    expect(sent).toMatchObject({
      recipient: 'anna.andersson@eslov.se',
      attempts: 1,
      messageId: `<${row.id}@praktiknav.test>`,
    });
    expect(sent.smtpResponse).toMatch(/^250/);
    expect(msg.messageId).toBe(`<${row.id}@praktiknav.test>`);
    expect(msg.to).toEqual(['anna.andersson@eslov.se']);
    const parsed = await sink.parse(msg);
    expect(parsed.subject).toBe(`Meddelande ${seq}`);
    expect(parsed.text).toContain(`Stycke ${seq}`);
    expect(parsed.text).toContain('This is an automatic reminder from Praktiknav');
    expect(parsed.html).toContain(`Stycke ${seq}`);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    await sleep(300);
    expect(sink.count()).toBe(1);
  });

  it('sends nothing for a row written in a transaction that rolled back', async () => {
    let id = '';
    await expect(
      mail.transaction(async (_m, enqueue) => {
        id = (await enqueue(notice({ to: 'rollback@eslov.se' }))).id;
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await mail.dispatch([id]);
    t.clock.advance(60_000);
    await relay.sweep();
    await sleep(500);
    expect(sink.count()).toBe(0);
    expect(await t.db.getRepository(MailOutbox).count({ where: { id } })).toBe(0);
  });

  it('writes and sends one email when the same dedupKey is enqueued twice', async () => {
    const input = notice({ to: 'dedup@eslov.se' });
    const [first] = await send(input);
    const [second] = await send({ ...input, payload: { subject: 'Changed', paragraphs: [] } });
    expect(second.id).toBe(first.id);
    await waitForRow(t.db, first.id, ['sent']);
    await mail.dispatch([first.id, second.id]);
    t.clock.advance(60_000);
    await relay.sweep();
    await sleep(500);
    expect(sink.count()).toBe(1);
    expect(
      await t.db.getRepository(MailOutbox).count({ where: { dedupKey: input.dedupKey } }),
    ).toBe(1);
  });

  it('refuses an address that is not one plain mailbox, and a template that does not exist', async () => {
    for (const to of ['a@b.se, c@d.se', 'Name <a@b.se>', '"x"@b.se', 'a@b.se\r\nBcc: c@d.se']) {
      await expect(send(notice({ to }))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    await expect(send(notice({ to: 'a@b.se', template: 'nope' }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    // An organisation that does not exist is an error, not a silently skipped row.
    await expect(
      send(notice({ to: 'a@b.se', onBehalfOf: '0190a8e2-1c3b-7d4e-8f00-123456789abc' })),
    ).rejects.toThrow(/foreign key/);
  });

  it('postpones outreach during the cool-off, and sends it once the clock has moved past it', async () => {
    const { employerId, contactPersonId, email } = await employerWithContact();
    const af = await actor(other, ['recruiter']);
    t.clock.freeze(WEDNESDAY_10);
    await af
      .post(`/api/v1/employers/${employerId}/contacts`, { channel: 'phone', purpose: 'internship' })
      .expect(201);
    t.clock.freeze(new Date('2026-11-20T09:00:00Z'));
    const [row] = await send(
      notice({
        to: email,
        category: 'outreach',
        purpose: 'internship',
        employerId,
        contactPersonId,
      }),
    );
    const postponed = await waitForRow(t.db, row.id, ['queued'], 5000).then(async () => {
      for (let i = 0; i < 100; i++) {
        const r = await t.db.getRepository(MailOutbox).findOneByOrFail({ id: row.id });
        if (r.decisionNote) {
          return r;
        }
        await sleep(50);
      }
      throw new Error('not decided');
    });
    // 14 days after the phone call, a Wednesday 10:00: inside the window already.
    expect(postponed.notBefore.toISOString()).toBe('2026-12-02T09:00:00.000Z');
    expect(postponed.decisionNote).toMatch(/^COOL_OFF: .*Arbetsförmedlingen Eslöv/);
    await sleep(300);
    expect(sink.count()).toBe(0);

    t.clock.freeze(new Date('2026-12-02T09:00:05Z'));
    await relay.sweep();
    const sent = await waitForRow(t.db, row.id, ['sent']);
    expect(sent.sentAt!.toISOString()).toBe('2026-12-02T09:00:05.000Z');
    const [msg] = await sink.waitFor(1);
    expect(msg.to).toEqual([email.toLowerCase()]);
  });

  it('suppresses mail to a do-not-contact employer, with the reason', async () => {
    const { employerId, contactPersonId, email } = await employerWithContact();
    await admin
      .patch(`/api/v1/employers/${employerId}`, {
        status: 'do_not_contact',
        doNotContactReason: 'Bad om att inte bli kontaktade',
      })
      .expect(200);
    t.clock.freeze(WEDNESDAY_10);
    const [row] = await send(
      notice({ to: email, category: 'transactional', employerId, contactPersonId }),
    );
    const done = await waitForRow(t.db, row.id, ['suppressed']);
    expect(done.suppressedReason).toMatch(/^DO_NOT_CONTACT: .*Bad om att inte bli kontaktade/);
    await sleep(300);
    expect(sink.count()).toBe(0);
  });

  it('merges three mails to one recipient within the window into one digest listing all three', async () => {
    const { employerId, contactPersonId, email } = await employerWithContact();
    t.clock.freeze(WEDNESDAY_10);
    const rows = await send(
      ...['Bekräfta platsen', 'Förslag på praktikant', 'Uppföljning'].map((subject, i) =>
        notice({
          to: email,
          category: 'transactional',
          employerId,
          contactPersonId,
          // The third is due in two hours: still inside the 24 h digest window.
          notBefore: i === 2 ? new Date(WEDNESDAY_10.getTime() + 2 * 3_600_000) : undefined,
          payload: { subject, paragraphs: [`Text om ${subject.toLowerCase()}`] },
        }),
      ),
    );
    const ids = rows.map((r) => r.id);
    // The third row's own job is delayed two hours; the first two jobs decide now.
    const sent = await waitForRows(t.db, ids, ['sent']);
    const [msg] = await sink.waitFor(1);
    await sleep(500);
    expect(sink.count()).toBe(1);
    const carrier = sent.find((r) => r.digestId === r.id)!;
    expect(carrier).toBeDefined();
    expect(sent.every((r) => r.digestId === carrier.id)).toBe(true);
    expect(new Set(sent.map((r) => r.messageId))).toEqual(new Set([msg.messageId]));
    const parsed = await sink.parse(msg);
    expect(parsed.subject).toBe('3 meddelanden från Praktiknav');
    for (const s of ['Bekräfta platsen', 'Förslag på praktikant', 'Uppföljning']) {
      expect(parsed.text).toContain(s);
      expect(parsed.html).toContain(s);
    }
    // Each merged row is a contact of its own in the employer's history.
    const timeline = await admin.get(`/api/v1/employers/${employerId}/contacts`).expect(200);
    expect(
      timeline.body.items.filter((e: { channel: string }) => e.channel === 'email'),
    ).toHaveLength(3);
  });

  it('merges internal mails to one user into one digest too, whatever order the jobs run in', async () => {
    const rows = await send(
      ...['Påminnelse A', 'Påminnelse B', 'Påminnelse C', 'Påminnelse D'].map((subject) =>
        notice({ to: 'samma.person@eslov.se', payload: { subject, paragraphs: [subject] } }),
      ),
    );
    const sent = await waitForRows(
      t.db,
      rows.map((r) => r.id),
      ['sent'],
    );
    await sleep(300);
    expect(sink.count()).toBe(1);
    expect(new Set(sent.map((r) => r.digestId)).size).toBe(1);
    const parsed = await sink.parse(sink.messages()[0]);
    expect(parsed.subject).toBe('4 meddelanden från Praktiknav');
  });

  it('postpones employer mail on a holiday and in the evening to the next business morning', async () => {
    const { employerId, contactPersonId, email } = await employerWithContact();
    const expectNotBefore = async (id: string, iso: string) => {
      for (let i = 0; i < 100; i++) {
        const r = await t.db.getRepository(MailOutbox).findOneByOrFail({ id });
        if (r.decisionNote) {
          expect(r.status).toBe('queued');
          expect(r.decisionNote).toMatch(/^OUTSIDE_WINDOW/);
          expect(r.notBefore.toISOString()).toBe(iso);
          return;
        }
        await sleep(50);
      }
      throw new Error('not decided');
    };
    // Christmas Eve 10:00 → Monday 28 December 08:00 (25–27 are a holiday and a weekend).
    t.clock.freeze(new Date('2026-12-24T09:00:00Z'));
    const [christmas] = await send(
      notice({ to: email, category: 'transactional', employerId, contactPersonId }),
    );
    await expectNotBefore(christmas.id, '2026-12-28T07:00:00.000Z');
    // Wednesday 18:30 → Thursday 08:00.
    t.clock.freeze(new Date('2026-11-18T17:30:00Z'));
    const [evening] = await send(
      notice({ to: email, category: 'transactional', employerId, contactPersonId }),
    );
    await expectNotBefore(evening.id, '2026-11-19T07:00:00.000Z');
    // Internal mail goes at any time.
    const [internal] = await send(notice({ to: 'kvall@eslov.se' }));
    await waitForRow(t.db, internal.id, ['sent']);
    expect(sink.count()).toBe(1);

    t.clock.freeze(new Date('2026-11-19T07:00:02Z'));
    await relay.sweep();
    await waitForRow(t.db, evening.id, ['sent']);
    expect(
      (await t.db.getRepository(MailOutbox).findOneByOrFail({ id: christmas.id })).status,
    ).toBe('queued');
    t.clock.freeze(new Date('2026-12-28T07:00:02Z'));
    await relay.sweep();
    await waitForRow(t.db, christmas.id, ['sent']);
  });

  it('fails a mail the server refuses with 5xx, at once and without retrying', async () => {
    sink.failNext(550);
    const [row] = await send(notice({ to: 'no-such-user@eslov.se' }));
    const failed = await waitForRow(t.db, row.id, ['failed']);
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatch(/550/);
    await sleep(1500);
    expect(sink.count()).toBe(0);
    expect((await t.db.getRepository(MailOutbox).findOneByOrFail({ id: row.id })).status).toBe(
      'failed',
    );
  });

  it('retries a 4xx with backoff and sends the mail exactly once', async () => {
    sink.failNext(451);
    const [row] = await send(notice({ to: 'greylisted@eslov.se' }));
    const sent = await waitForRow(t.db, row.id, ['sent'], 15_000);
    expect(sent.attempts).toBe(2);
    await sleep(500);
    expect(sink.messages().map((m) => m.messageId)).toEqual([`<${row.id}@praktiknav.test>`]);
  });

  it('records a sent employer mail in the employer contact timeline', async () => {
    const { employerId, contactPersonId, email } = await employerWithContact();
    t.clock.freeze(WEDNESDAY_10);
    const [row] = await send(
      notice({
        to: email,
        category: 'transactional',
        purpose: 'internship',
        employerId,
        contactPersonId,
        onBehalfOf: other.id,
        payload: { subject: 'Bekräfta praktikplatsen', paragraphs: ['Hej'] },
      }),
    );
    await waitForRow(t.db, row.id, ['sent']);
    const timeline = await admin.get(`/api/v1/employers/${employerId}/contacts`).expect(200);
    expect(timeline.body.items).toEqual([
      expect.objectContaining({
        channel: 'email',
        purpose: 'internship',
        userId: null,
        organisationId: other.id,
        organisationName: 'Arbetsförmedlingen Eslöv',
        contactPersonId,
        occurredAt: WEDNESDAY_10.toISOString(),
        outcome: 'Email sent: Bekräfta praktikplatsen',
      }),
    ]);
  });

  it('lets an employer contact opt out through the link, after which outreach is suppressed', async () => {
    const { employerId, contactPersonId, email } = await employerWithContact();
    t.clock.freeze(WEDNESDAY_10);
    const [row] = await send(
      notice({ to: email, category: 'outreach', employerId, contactPersonId, locale: 'en' }),
    );
    await waitForRow(t.db, row.id, ['sent']);
    const [msg] = await sink.waitFor(1);
    const parsed = await sink.parse(msg);
    const link = /https?:\/\/[^\s>]+\/u\/([A-Za-z0-9_-]{43})/.exec(parsed.text ?? '');
    expect(link).not.toBeNull();
    const token = link![1];
    expect(parsed.headers.get('list')).toMatchObject({
      unsubscribe: { url: expect.stringContaining(`/u/${token}`) },
    });
    expect(parsed.html).toContain(`/u/${token}`);
    // Stored hashed only.
    const stored = await t.db.query('SELECT token_hash FROM mail_opt_out');
    expect(JSON.stringify(stored)).not.toContain(token);

    // A GET (a mail scanner) only shows the question.
    const agent = t.agent();
    const page = await agent.get(`/u/${token}`).expect(200);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.text).toContain('k•••@arbetsgivare.se');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    expect(
      (await t.db.getRepository(ContactPerson).findOneByOrFail({ id: contactPersonId }))
        .emailOptOut,
    ).toBe(false);
    await agent.post(`/u/${token}`).type('form').send({ _csrf: csrf }).expect(200);
    expect(
      (await t.db.getRepository(ContactPerson).findOneByOrFail({ id: contactPersonId }))
        .emailOptOut,
    ).toBe(true);
    await agent.get(`/u/${token}`).expect(200);
    await t.http().get('/u/not-a-token').expect(404);

    const [next] = await send(
      notice({ to: email, category: 'outreach', employerId, contactPersonId }),
    );
    const suppressed = await waitForRow(t.db, next.id, ['suppressed']);
    expect(suppressed.suppressedReason).toMatch(/^OPTED_OUT/);
    expect(sink.count()).toBe(1);
  });
});

import { MailOutbox } from '../../src/mail/mail-outbox.entity';
import { MailRelay } from '../../src/mail/mail-relay';
import { EnqueueMail, MailService } from '../../src/mail/mail.service';
import { RemindersService } from '../../src/reminders/reminders.service';
import { Organisation } from '../../src/organisations/organisation.entity';
import { createOrganisation, createUser, TEST_PASSWORD } from '../factories/users';
import { SmtpSink, sleep, waitForRow, waitForRows } from '../helpers/smtp-sink';
import { createTestApp, TestApp } from '../helpers/test-app';

function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) {
    throw new Error('no CSRF token in page');
  }
  return m[1];
}

const WEDNESDAY_10 = new Date('2026-11-18T09:00:00Z');

describe('mail administration, health and reminders', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let mail: MailService;
  let relay: MailRelay;
  let org: Organisation;
  let admin: ReturnType<TestApp['agent']>;
  let seq = 0;

  function notice(overrides: Partial<EnqueueMail> = {}): EnqueueMail {
    return {
      dedupKey: `admin-test:${++seq}:${Date.now()}`,
      to: `mottagare${seq}@eslov.se`,
      template: 'notice',
      locale: 'sv',
      payload: { subject: `Meddelande ${seq}`, paragraphs: ['Hej'] },
      category: 'internal',
      onBehalfOf: org.id,
      ...overrides,
    };
  }
  const enqueue = (input: EnqueueMail) => mail.transaction((_m, e) => e(input));

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({
      SMTP_URL: sink.url,
      MAIL_SWEEP_SECONDS: '3600',
      MAIL_STALE_SECONDS: '1',
      MAIL_SENDING_TIMEOUT_SECONDS: '60',
    });
    mail = t.app.get(MailService);
    relay = t.app.get(MailRelay);
    org = await createOrganisation(t.db, { name: 'Arbetsmarknadsenheten Lysekil' });
    const adminUser = await createUser(t.db, ['admin', 'recruiter'], { organisation: org });
    admin = t.agent();
    await admin
      .post('/api/v1/auth/login')
      .send({ email: adminUser.email, password: TEST_PASSWORD })
      .expect(200);
  });
  beforeEach(() => {
    sink.clear();
    t.clock.reset();
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('lists the outbox filtered by status, template and recipient, and shows one with its reason', async () => {
    sink.failNext(550);
    const failed = await enqueue(notice({ to: 'finns-inte@eslov.se' }));
    await waitForRow(t.db, failed.id, ['failed']);
    const ok = await enqueue(notice({ to: 'finns@eslov.se' }));
    await waitForRow(t.db, ok.id, ['sent']);

    const list = await admin.get('/api/v1/mail/outbox?status=failed&template=notice').expect(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toContain(failed.id);
    expect(list.body.items.every((r: { status: string }) => r.status === 'failed')).toBe(true);
    const byRecipient = await admin.get('/api/v1/mail/outbox?recipient=finns@').expect(200);
    expect(byRecipient.body.items.map((r: { id: string }) => r.id)).toEqual([ok.id]);
    const one = await admin.get(`/api/v1/mail/outbox/${failed.id}`).expect(200);
    expect(one.body).toMatchObject({ id: failed.id, status: 'failed', attempts: 1 });
    expect(one.body.reason).toMatch(/550/);
    expect(one.body).not.toHaveProperty('payload');
    await admin.get('/api/v1/mail/outbox?status=lost').expect(400);
    await admin.get('/api/v1/mail/outbox/not-an-id').expect(400);

    // Retry: decided and sent again.
    const retried = await admin.post(`/api/v1/mail/outbox/${failed.id}/retry`).expect(200);
    expect(['pending', 'queued', 'sending', 'sent']).toContain(retried.body.status);
    await waitForRow(t.db, failed.id, ['sent']);
    await admin.post(`/api/v1/mail/outbox/${failed.id}/retry`).expect(409);
    expect(sink.messages().map((m) => m.messageId)).toEqual(
      expect.arrayContaining([expect.stringContaining(failed.id)]),
    );
  });

  it('turns a row stuck in sending into needs_review, never resending it; an admin settles it', async () => {
    const employer = (
      await admin
        .post('/api/v1/employers')
        .send({
          name: 'Granskningen AB',
          sector: 'private',
          municipality: '1484',
          confirmNotDuplicate: true,
        })
        .expect(201)
    ).body as { id: string };
    t.clock.freeze(WEDNESDAY_10);
    const row = await mail.transaction(async (m, e) => {
      const r = await e(
        notice({ category: 'transactional', employerId: employer.id, to: 'chef@granskningen.se' }),
      );
      // A worker that claimed the row and died: it stays `sending`.
      await m.getRepository(MailOutbox).update(
        { id: r.id },
        {
          status: 'sending',
          decidedAt: WEDNESDAY_10,
          sendingStartedAt: WEDNESDAY_10,
          attempts: 1,
        },
      );
      r.status = 'sending';
      return r;
    });
    t.clock.freeze(new Date(WEDNESDAY_10.getTime() + 61_000));
    expect(await relay.sweep()).toMatchObject({ needsReview: 1 });
    const review = await waitForRow(t.db, row.id, ['needs_review']);
    expect(review.lastError).toMatch(/Still sending after 60 s/);
    await sleep(300);
    expect(sink.count()).toBe(0);
    // Another sweep does not touch it.
    await relay.sweep();
    expect((await t.db.getRepository(MailOutbox).findOneByOrFail({ id: row.id })).status).toBe(
      'needs_review',
    );
    await admin.post(`/api/v1/mail/outbox/${row.id}/cancel`).expect(409);
    const settled = await admin.post(`/api/v1/mail/outbox/${row.id}/mark-sent`).expect(200);
    expect(settled.body).toMatchObject({ status: 'sent' });
    expect(settled.body.smtpResponse).toMatch(/^Marked as sent by /);
    const timeline = await admin.get(`/api/v1/employers/${employer.id}/contacts`).expect(200);
    expect(timeline.body.items).toEqual([
      expect.objectContaining({ channel: 'email', userId: null, organisationId: org.id }),
    ]);
    await admin.post(`/api/v1/mail/outbox/${row.id}/mark-sent`).expect(409);
    const audit = await admin.get(`/api/v1/audit-events?action=mail.`).expect(200);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toContain('mail.mark_sent');
  });

  it('cancels a waiting mail, which is then never sent', async () => {
    const later = await enqueue(notice({ notBefore: new Date(Date.now() + 3_600_000) }));
    const res = await admin.post(`/api/v1/mail/outbox/${later.id}/cancel`).expect(200);
    expect(res.body).toMatchObject({ status: 'suppressed' });
    expect(res.body.suppressedReason).toMatch(/^CANCELLED: by /);
    await admin.post(`/api/v1/mail/outbox/${later.id}/cancel`).expect(409);
    t.clock.advance(2 * 3_600_000);
    await relay.sweep();
    await sleep(500);
    expect(sink.count()).toBe(0);
  });

  it('refuses the outbox to non-admins', async () => {
    const rec = await createUser(t.db, ['recruiter']);
    const agent = t.agent();
    await agent
      .post('/api/v1/auth/login')
      .send({ email: rec.email, password: TEST_PASSWORD })
      .expect(200);
    await agent.get('/api/v1/mail/outbox').expect(403);
    await agent.get('/admin/outbox').expect(403);
    await t.http().get('/api/v1/mail/outbox').expect(401);
  });

  it('shows the outbox page, and its actions work from the page with CSRF', async () => {
    sink.failNext(554);
    const failed = await enqueue(notice({ to: 'sida@eslov.se' }));
    await waitForRow(t.db, failed.id, ['failed']);
    const page = await admin.get('/admin/outbox?status=failed').expect(200);
    expect(page.text).toContain('sida@eslov.se');
    expect(page.text).toContain('554');
    const detail = await admin.get(`/admin/outbox/${failed.id}`).expect(200);
    expect(detail.text).toContain('data-testid="outbox-retry"');
    await admin
      .post(`/admin/outbox/${failed.id}/retry`)
      .type('form')
      .send({ _csrf: csrfFrom(detail.text) })
      .expect(303)
      .expect('Location', `/admin/outbox/${failed.id}?done=retry`);
    await waitForRow(t.db, failed.id, ['sent']);
    await admin.post(`/admin/outbox/${failed.id}/retry`).type('form').send({}).expect(403);
    const en = await admin.get(`/admin/outbox/${failed.id}?lang=en&done=retry`).expect(200);
    expect(en.text).toContain('The email will be sent again.');
  });

  it('previews every template with sample data in Swedish and English', async () => {
    const list = await admin.get('/admin/mail/templates').expect(200);
    for (const name of ['digest', 'notice', 'contact-next-step', 'claim-expiring']) {
      expect(list.text).toContain(`/admin/mail/templates/${name}`);
    }
    const preview = await admin.get('/admin/mail/templates/claim-expiring').expect(200);
    expect(preview.text).toContain('Din reservation av Byggmästarna i Eslöv AB går ut');
    expect(preview.text).toContain('Your claim on Byggmästarna i Eslöv AB expires');
    const html = await admin.get('/admin/mail/templates/digest/en/html').expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.headers['content-security-policy']).toContain('sandbox');
    expect(html.text).toContain('2 messages from Praktiknav');
    await admin.get('/admin/mail/templates/nope').expect(404);
    await admin.get('/admin/mail/templates/digest/de/html').expect(404);
  });

  it('reports mail queue counts per state and SMTP reachability on /health/ready', async () => {
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body.info.mailQueue).toMatchObject({
      status: 'up',
      jobs: expect.objectContaining({
        waiting: expect.any(Number),
        active: expect.any(Number),
        delayed: expect.any(Number),
        failed: expect.any(Number),
      }),
      outbox: expect.objectContaining({
        pending: expect.any(Number),
        needs_review: expect.any(Number),
      }),
    });
    expect(ready.body.info.smtp).toMatchObject({ status: 'up', reachable: true });
  });

  describe('reminders', () => {
    it('writes one next-step digest per user and day, however often and wherever the scan runs', async () => {
      const orgB = await createOrganisation(t.db);
      const user = await createUser(t.db, ['recruiter'], {
        organisation: orgB,
        name: 'Rut Rekryterare',
      });
      const rec = t.agent();
      await rec
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: TEST_PASSWORD })
        .expect(200);
      const employers: string[] = [];
      for (const name of ['Påminnelsen AB', 'Morgondagen AB']) {
        employers.push(
          (
            await admin
              .post('/api/v1/employers')
              .send({ name, sector: 'private', municipality: '1484', confirmNotDuplicate: true })
              .expect(201)
          ).body.id,
        );
      }
      t.clock.freeze(new Date('2026-11-18T06:30:00Z')); // 07:30 in Stockholm
      const log = (employerId: string, nextStepAt: string, note: string) =>
        rec
          .post(`/api/v1/employers/${employerId}/contacts`)
          .send({ channel: 'phone', purpose: 'internship', nextStepAt, note })
          .expect(201);
      await log(employers[0], '2026-11-18T13:00:00Z', 'Ring om lagerplatsen');
      await log(employers[1], '2026-11-18T09:30:00Z', 'Skicka <info>');
      await log(employers[1], '2026-11-19T09:30:00Z', 'Imorgon, inte idag');

      const reminders = t.app.get(RemindersService);
      t.clock.freeze(new Date('2026-11-18T05:00:00Z')); // 06:00: before the daily hour
      expect(await reminders.scanNextSteps()).toEqual({ users: 0, written: 0 });
      t.clock.freeze(new Date('2026-11-18T06:30:00Z'));
      // Two instances at once, then again later the same day.
      await Promise.all([reminders.scanNextSteps(), reminders.scanNextSteps()]);
      t.clock.freeze(new Date('2026-11-18T10:00:00Z'));
      await reminders.scanNextSteps();
      const rows = await t.db
        .getRepository(MailOutbox)
        .find({ where: { template: 'contact-next-step', recipient: user.email } });
      expect(rows).toHaveLength(1);
      expect(rows[0].dedupKey).toBe(`reminder:next-steps:${user.id}:2026-11-18`);
      await waitForRows(t.db, [rows[0].id], ['sent']);
      const msgs = sink.messages().filter((m) => m.to.includes(user.email));
      expect(msgs).toHaveLength(1);
      const parsed = await sink.parse(msgs[0]);
      expect(parsed.subject).toBe('Dina 2 nästa steg idag (2026-11-18)');
      expect(parsed.text).toContain('10:30 Morgondagen AB (praktik)');
      expect(parsed.text).toContain('14:00 Påminnelsen AB (praktik)');
      expect(parsed.text).not.toContain('Imorgon, inte idag');
      expect(parsed.html).toContain('Skicka &lt;info&gt;');
    });

    it('reminds the holder of a claim that expires within a day, once', async () => {
      const user = await createUser(t.db, ['recruiter'], {
        organisation: org,
        name: 'Claes Claim',
      });
      const rec = t.agent();
      await rec
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: TEST_PASSWORD })
        .expect(200);
      const employerId = (
        await admin
          .post('/api/v1/employers')
          .send({
            name: 'Reservationen AB',
            sector: 'private',
            municipality: '1484',
            confirmNotDuplicate: true,
          })
          .expect(201)
      ).body.id;
      t.clock.freeze(WEDNESDAY_10);
      await rec
        .post(`/api/v1/employers/${employerId}/contact-claims`)
        .send({ purpose: 'recruitment', days: 2 })
        .expect(201);
      const reminders = t.app.get(RemindersService);
      expect(await reminders.scanClaimsExpiring()).toMatchObject({ claims: 0 });
      t.clock.freeze(new Date(WEDNESDAY_10.getTime() + 30 * 3_600_000));
      await Promise.all([reminders.scanClaimsExpiring(), reminders.scanClaimsExpiring()]);
      const rows = await t.db
        .getRepository(MailOutbox)
        .find({ where: { template: 'claim-expiring', recipient: user.email } });
      expect(rows).toHaveLength(1);
      await waitForRows(t.db, [rows[0].id], ['sent']);
      const msgs = sink.messages().filter((m) => m.to.includes(user.email));
      expect(msgs).toHaveLength(1);
      expect((await sink.parse(msgs[0])).subject).toBe(
        'Din reservation av Reservationen AB går ut 2026-11-20 10:00',
      );
    });
  });
});

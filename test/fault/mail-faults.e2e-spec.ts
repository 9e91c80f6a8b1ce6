import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { MailProcessor } from '../../src/mail/mail.processor';
import { MailService } from '../../src/mail/mail.service';
import { createOrganisation } from '../factories/users';
import { SmtpSink, sleep, statusCounts } from '../helpers/smtp-sink';
import { createTestApp, TestApp } from '../helpers/test-app';
import { FAST_MAIL_ENV, ScratchRedis, startWorker, Worker } from './worker';

/**
 * DESIGN §3 rule 4, tested by breaking things: workers are separate processes running the real
 * app (APP_ROLE=worker); this process only enqueues, watches the outbox and runs the SMTP sink.
 * Every scenario asserts zero duplicates at the sink (by Message-ID) and that every row ends
 * sent, suppressed, failed or needs_review.
 */
describe('mail pipeline under faults', () => {
  jest.setTimeout(180_000);
  let sink: SmtpSink;
  const workers: Worker[] = [];
  let t: TestApp | null = null;

  async function app(env: Record<string, string> = {}): Promise<TestApp> {
    t = await createTestApp({ APP_ROLE: 'api', SMTP_URL: sink.url, ...FAST_MAIL_ENV, ...env });
    // This process only enqueues: an API instance runs no mail processor.
    expect(() => t!.app.get(MailProcessor)).toThrow();
    return t;
  }

  async function worker(env: Record<string, string> = {}): Promise<Worker> {
    const w = await startWorker({ SMTP_URL: sink.url, ...env });
    workers.push(w);
    return w;
  }

  /** `n` internal mails (any time, no policy, distinct recipients: no digests). */
  async function enqueue(a: TestApp, n: number, tag: string): Promise<string[]> {
    const org = await createOrganisation(a.db);
    const mail = a.app.get(MailService);
    const ids: string[] = [];
    for (let i = 0; i < n; i += 100) {
      const chunk = await mail.transaction(async (_m, add) => {
        const rows = [];
        for (let j = i; j < Math.min(n, i + 100); j++) {
          rows.push(
            await add({
              dedupKey: `fault:${tag}:${j}`,
              to: `${tag}-${j}@fault.example`,
              template: 'notice',
              locale: 'sv',
              payload: { subject: `Fel ${tag} ${j}`, paragraphs: ['Test'] },
              category: 'internal',
              onBehalfOf: org.id,
            }),
          );
        }
        return rows;
      });
      ids.push(...chunk.map((r) => r.id));
    }
    return ids;
  }

  /** Waits until no row is pending, queued or sending. */
  async function settle(db: DataSource, timeoutMs = 120_000): Promise<Record<string, number>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await statusCounts(db);
      if (!counts.pending && !counts.queued && !counts.sending) {
        return counts;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `outbox not settled: ${JSON.stringify(counts)}\n${workers.map((w) => w.output()).join('\n---\n')}`,
        );
      }
      await sleep(250);
    }
  }

  /** Zero duplicates, and every sent row arrived exactly once under its own Message-ID. */
  async function expectExactlyOnce(db: DataSource): Promise<void> {
    expect(sink.duplicates()).toEqual([]);
    const sent: { message_id: string }[] = await db.query(
      `SELECT message_id FROM mail_outbox WHERE status = 'sent'`,
    );
    const received = sink.uniqueMessageIds();
    expect(sent.filter((r) => !received.has(r.message_id))).toEqual([]);
  }

  function report(name: string, extra: Record<string, unknown>) {
    process.stdout.write(`[mail fault ${name}] ${JSON.stringify(extra)}\n`);
  }

  beforeAll(async () => {
    sink = await SmtpSink.start();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await t?.close();
    t = null;
    sink.clear();
    sink.delayMs = 0;
  });
  afterAll(async () => {
    await sink.stop();
  });

  it('(a) loses and doubles nothing when a worker is killed -9 mid-run', async () => {
    const a = await app();
    sink.delayMs = 15; // keeps messages in flight when the worker dies
    await worker();
    const ids = await enqueue(a, 1000, 'kill');
    await sink.waitFor(300, 90_000);
    await workers[0].kill9();
    const atKill = await statusCounts(a.db);
    const inFlight = atKill.sending ?? 0;
    const deliveredAtKill = sink.count();
    await worker();
    const counts = await settle(a.db);
    await expectExactlyOnce(a.db);
    expect((counts.sent ?? 0) + (counts.needs_review ?? 0)).toBe(ids.length);
    expect(counts.failed ?? 0).toBe(0);
    expect(counts.needs_review ?? 0).toBeLessThanOrEqual(inFlight);
    report('kill -9', {
      mails: ids.length,
      deliveredAtKill,
      inFlightAtKill: inFlight,
      needsReview: counts.needs_review ?? 0,
      sent: counts.sent ?? 0,
      received: sink.count(),
      duplicates: sink.duplicates().length,
    });
  });

  it('(b) delivers everything through the relay when Redis is flushed mid-run', async () => {
    const a = await app();
    sink.delayMs = 5;
    await worker();
    const ids = await enqueue(a, 1000, 'flush');
    await sink.waitFor(300, 90_000);
    const redis = new Redis(a.config.redis.url);
    await redis.flushdb();
    redis.disconnect();
    const flushedAt = sink.count();
    const counts = await settle(a.db);
    await expectExactlyOnce(a.db);
    expect(counts).toEqual({ sent: ids.length });
    expect(sink.count()).toBe(ids.length);
    report('FLUSHDB', { mails: ids.length, deliveredAtFlush: flushedAt, ...counts });
  });

  it('(c) delivers everything, fails nothing, when the SMTP server is down for a while', async () => {
    const a = await app();
    await worker();
    const ids = await enqueue(a, 600, 'smtp');
    await sink.waitFor(150, 90_000);
    await sink.stop();
    const downAt = sink.count();
    await sleep(6000);
    await sink.restart();
    const counts = await settle(a.db);
    await expectExactlyOnce(a.db);
    expect(counts).toEqual({ sent: ids.length });
    expect(sink.count()).toBe(ids.length);
    const retried: { n: string }[] = await a.db.query(
      'SELECT COUNT(*) AS n FROM mail_outbox WHERE attempts > 1',
    );
    report('SMTP down 6 s', {
      mails: ids.length,
      deliveredBeforeDown: downAt,
      retriedRows: Number(retried[0].n),
      ...counts,
    });
  });

  it('(d) sends each mail once with two workers competing for the same queue', async () => {
    const a = await app();
    await Promise.all([worker(), worker()]);
    const ids = await enqueue(a, 1000, 'two');
    const counts = await settle(a.db);
    await expectExactlyOnce(a.db);
    expect(counts).toEqual({ sent: ids.length });
    expect(sink.count()).toBe(ids.length);
    report('two workers', { mails: ids.length, ...counts, received: sink.count() });
  });

  it('(e) resumes without a restart after Redis was stopped for 10 s and started again', async () => {
    const redis = new ScratchRedis(6390);
    await redis.start();
    try {
      const a = await app({ REDIS_URL: redis.url });
      sink.delayMs = 5;
      await worker({ REDIS_URL: redis.url });
      const first = await enqueue(a, 400, 'restart');
      await sink.waitFor(100, 90_000);
      await redis.stop();
      const stoppedAt = sink.count();
      await sleep(10_000);
      await redis.start(); // empty: nothing is kept on disk
      const counts = await settle(a.db);
      expect(counts).toEqual({ sent: first.length });
      // New mail after the restart flows through the same (never restarted) worker.
      const second = await enqueue(a, 100, 'after');
      const after = await settle(a.db, 60_000);
      await expectExactlyOnce(a.db);
      expect(after).toEqual({ sent: first.length + second.length });
      expect(workers[0].child.exitCode).toBeNull();
      report('Redis restart', {
        mails: first.length + second.length,
        deliveredWhenStopped: stoppedAt,
        ...after,
        received: sink.count(),
      });
    } finally {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      await t?.close();
      t = null;
      await redis.stop();
    }
  });
});

/**
 * Email throughput: outbox rows → decide → claim → SMTP (pooled) → recorded, against the local
 * SMTP sink, compared with a bare nodemailer loop (same pool size, same sink, same message).
 *
 *   npx ts-node --transpile-only bench/mail/bench.ts [count]
 *
 * Goals (DESIGN §6, checked here, never in unit tests): ≥ 300 emails/s end to end and ≥ 0.5 of
 * the bare loop. Internal mail (no contact policy, any time, distinct recipients so nothing is
 * merged) keeps the figures independent of the sending window and the time of day.
 *
 * Uses its own database (praktiknav_bench_mail), Redis database 9 and queue prefix; the worker
 * runs as a separate process (APP_ROLE=worker) like in production.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import nodemailer from 'nodemailer';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { ensureDatabase, runMigrations } from '../../src/bootstrap/preflight';
import { loadConfig } from '../../src/config/app-config';
import { MailOutbox } from '../../src/mail/mail-outbox.entity';
import { MailTemplates } from '../../src/mail/mail-templates';
import { MailService } from '../../src/mail/mail.service';
import { toNodemailerOptions, parseMailFrom, messageIdHost } from '../../src/mail/message';
import { Organisation } from '../../src/organisations/organisation.entity';
import { SmtpSink } from '../../test/helpers/smtp-sink';
import { startApp } from '../lib/app-process';

const COUNT = Number(process.argv[2] ?? 10_000);
const POOL = process.env.MAIL_POOL_SIZE ?? '5';
const CONCURRENCY = process.env.MAIL_CONCURRENCY ?? '';
/** Worker processes (APP_ROLE=worker instances); one by default. */
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);

const env: Record<string, string> = {
  NODE_ENV: 'development',
  DATABASE_URL:
    process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/praktiknav_bench_mail',
  REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/9',
  QUEUE_PREFIX: 'pn-bench-mail',
  APP_SECRET: 'bench-secret-bench-secret-bench-secret-01',
  DATA_KEY: Buffer.alloc(32, 9).toString('base64'),
  LOG_LEVEL: 'warn',
  MAIL_POOL_SIZE: POOL,
  ...(CONCURRENCY ? { MAIL_CONCURRENCY: CONCURRENCY } : {}),
  REMINDERS_SCAN_SECONDS: '3600',
};

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('timed out');
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main(): Promise<void> {
  Object.assign(process.env, env);
  const sink = await SmtpSink.start();
  env.SMTP_URL = sink.url;
  process.env.SMTP_URL = sink.url;
  const config = loadConfig({ ...process.env, APP_ROLE: 'api' });
  await ensureDatabase(config);
  await runMigrations(config);
  const redis = new Redis(config.redis.url);
  await redis.flushdb();
  redis.disconnect();

  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['error'],
  });
  const db = app.get(DataSource);
  await db.query('DELETE FROM mail_outbox');
  const orgs = db.getRepository(Organisation);
  const org = await orgs.save(
    orgs.create({
      name: `Bench ${Date.now()}`,
      kind: 'municipality',
      municipalityCode: '1285',
      active: true,
    }),
  );
  const mail = app.get(MailService);

  const workers = await Promise.all(
    Array.from({ length: WORKERS }, () => startApp({ ...env, APP_ROLE: 'worker' })),
  );
  try {
    // 1. Write the outbox rows (as modules do, in transactions), not yet dispatched.
    const t0 = Date.now();
    const rows: MailOutbox[] = [];
    for (let i = 0; i < COUNT; i += 500) {
      await db.transaction(async (m) => {
        for (let j = i; j < Math.min(COUNT, i + 500); j++) {
          rows.push(
            await mail.enqueue(m, {
              dedupKey: `bench:${t0}:${j}`,
              to: `bench-${j}@bench.example`,
              toName: `Mottagare ${j}`,
              template: 'notice',
              locale: 'sv',
              payload: {
                subject: `Benchmark ${j}`,
                paragraphs: ['Ett meddelande av vanlig storlek.', 'Med två stycken text.'],
              },
              category: 'internal',
              onBehalfOf: org.id,
            }),
          );
        }
      });
    }
    const enqueueMs = Date.now() - t0;

    // 2. Dispatch and wait for every message at the sink, then for every row recorded as sent.
    const t1 = Date.now();
    for (let i = 0; i < rows.length; i += 1000) {
      await mail.dispatch(rows.slice(i, i + 1000));
    }
    await waitUntil(() => sink.count() >= COUNT, 600_000);
    const deliveredMs = Date.now() - t1;
    await waitUntil(
      async () =>
        (await db.getRepository(MailOutbox).count({ where: { status: 'sent' } })) >= COUNT,
      120_000,
    );
    const recordedMs = Date.now() - t1;
    const duplicates = sink.duplicates().length;

    // 3. The bare loop: the same rendered message through a pooled transport, nothing else.
    sink.clear();
    const templates = app.get(MailTemplates);
    const rendered = templates.render('notice', 'sv', rows[0].payload, { category: 'internal' });
    const from = parseMailFrom(config.mail.from);
    const transport = nodemailer.createTransport({
      url: sink.url,
      pool: true,
      maxConnections: Number(POOL),
      maxMessages: 500,
    });
    const t2 = Date.now();
    let next = 0;
    const lane = async () => {
      while (next < COUNT) {
        const j = next++;
        await transport.sendMail(
          toNodemailerOptions(
            {
              outboxId: rows[j].id,
              from,
              to: { address: `bench-${j}@bench.example`, name: `Mottagare ${j}` },
              ...rendered,
              autoSubmitted: true,
            },
            messageIdHost(from.address),
          ),
        );
      }
    };
    await Promise.all(Array.from({ length: 50 }, lane));
    const bareMs = Date.now() - t2;
    transport.close();

    const pipeline = rate(COUNT, deliveredMs);
    const bare = rate(COUNT, bareMs);
    const lines = [
      `mail benchmark: ${COUNT} emails, ${WORKERS} worker process(es), SMTP pool ${POOL} and concurrency ${CONCURRENCY || config.mail.concurrency} each`,
      `  enqueue (outbox rows, 500 per transaction): ${rate(COUNT, enqueueMs)} rows/s (${enqueueMs} ms)`,
      `  pipeline, dispatch → last message at the sink: ${pipeline} emails/s (${deliveredMs} ms)`,
      `  pipeline, dispatch → every row recorded sent:  ${rate(COUNT, recordedMs)} emails/s (${recordedMs} ms)`,
      `  pipeline incl. enqueue: ${rate(COUNT, enqueueMs + deliveredMs)} emails/s`,
      `  bare nodemailer loop (pool ${POOL}, 50 in flight): ${bare} emails/s (${bareMs} ms)`,
      `  ratio pipeline / bare: ${(pipeline / bare).toFixed(2)}`,
      `  duplicates at the sink: ${duplicates}`,
      `  goals: ≥ 300 emails/s ${pipeline >= 300 ? 'met' : 'NOT met'}; ≥ 0.5 of bare ${pipeline / bare >= 0.5 ? 'met' : 'NOT met'}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    workers.forEach((w) => w.stop());
    await app.close();
    await sink.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);

/**
 * Claim latency under contention (prints its figures; not part of `npm test`):
 *   npx ts-node --transpile-only bench/contacts/claims.ts [--rounds 20] [--concurrency 50]
 * Each round: one fresh employer, `concurrency` recruiters of different organisations claim it at
 * the same instant over HTTP. Prints per-request latency p50/p99 over all rounds and checks that
 * exactly one claim per round was granted. Own database: praktiknav_bench_claims.
 */
import 'reflect-metadata';
import mysql from 'mysql2/promise';
import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { runMigrations } from '../../src/bootstrap/preflight';
import { loadConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { newId } from '../../src/database/base.entity';
import { percentile, startApp } from '../lib/app-process';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const ROUNDS = arg('rounds', 20);
const CONCURRENCY = arg('concurrency', 50);

async function main() {
  const env = {
    DATABASE_URL: 'mysql://root@127.0.0.1:3306/praktiknav_bench_claims',
    REDIS_URL: 'redis://127.0.0.1:6379/7',
    QUEUE_PREFIX: 'pn-bench-claims',
    APP_ROLE: 'api',
    LOG_LEVEL: 'error',
  };
  Object.assign(process.env, env);
  const config = loadConfig(process.env);
  const admin = await mysql.createConnection({ host: '127.0.0.1', user: 'root' });
  await admin.query('DROP DATABASE IF EXISTS praktiknav_bench_claims');
  await admin.query(
    'CREATE DATABASE praktiknav_bench_claims CHARACTER SET utf8mb4 COLLATE utf8mb4_swedish_ci',
  );
  await admin.end();
  await runMigrations(config);
  const db = new DataSource(dataSourceOptions(config));
  await db.initialize();

  // One recruiter per organisation, each with an API token.
  const tokens: string[] = [];
  for (let i = 0; i < CONCURRENCY; i++) {
    const orgId = newId();
    const userId = newId();
    await db.query('INSERT INTO organisation (id, name, kind, active) VALUES (?, ?, ?, 1)', [
      orgId,
      `Organisation ${i}`,
      'municipality',
    ]);
    await db.query(
      'INSERT INTO `user` (id, email, name, password_hash, roles, organisation_id, active, locale) VALUES (?, ?, ?, ?, ?, ?, 1, ?)',
      [userId, `r${i}@bench.se`, `Rekryterare ${i}`, 'x', 'recruiter', orgId, 'sv'],
    );
    const token = `pn_${randomBytes(32).toString('base64url')}`;
    await db.query(
      'INSERT INTO api_token (id, user_id, name, prefix, token_hash) VALUES (?, ?, ?, ?, ?)',
      [
        newId(),
        userId,
        'bench',
        token.slice(0, 10),
        createHash('sha256').update(token).digest('hex'),
      ],
    );
    tokens.push(token);
  }
  const employers: string[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const id = newId();
    await db.query(
      `INSERT INTO employer (id, name, normalized_name, sector, municipality, status) VALUES (?, ?, ?, 'private', '1285', 'active')`,
      [id, `Bench ${r}`, `bench ${r}`],
    );
    employers.push(id);
  }
  const app = await startApp(env);
  const latencies: number[] = [];
  let exactRounds = 0;
  const t0 = performance.now();
  for (const id of employers) {
    const results = await Promise.all(
      tokens.map(async (token) => {
        const s = performance.now();
        const res = await fetch(`${app.base}/api/v1/employers/${id}/contact-claims`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ purpose: 'internship', days: 7 }),
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - s);
        return res.status;
      }),
    );
    const granted = results.filter((s) => s === 201).length;
    const refused = results.filter((s) => s === 409).length;
    if (granted === 1 && refused === CONCURRENCY - 1) {
      exactRounds++;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `${ROUNDS} rounds of ${CONCURRENCY} concurrent claims on one employer: exactly one granted in ${exactRounds}/${ROUNDS} rounds`,
  );
  console.log(
    `claim latency: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms; ${(latencies.length / seconds).toFixed(0)} claims/s`,
  );
  app.stop();
  await db.destroy();
  if (exactRounds !== ROUNDS) {
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

/**
 * Employer register benchmark (prints its figures; not part of `npm test`):
 *   npx ts-node --transpile-only bench/employers/bench.ts [--employers 100000] [--seconds 10]
 * Uses its own database (praktiknav_bench, recreated) on the local MariaDB and Redis db 5.
 *  (a) duplicate-check latency p50/p99 (sequential HTTP calls, names with typos)
 *  (b) search latency p50/p99 and throughput with autocannon at 32 connections, and a bare
 *      GET /health in the same run as the ratio
 *  (c) import time of a 100,000-row CSV (streamed through the import service: parse, check, insert)
 * Recall/precision of duplicate detection: bench/employers/recall.ts.
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { Readable } from 'node:stream';
import mysql from 'mysql2/promise';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { runMigrations } from '../../src/bootstrap/preflight';
import { loadConfig } from '../../src/config/app-config';
import { newId } from '../../src/database/base.entity';
import { employersToCsv } from '../../src/employers/csv-export';
import { normalizeEmployerName, normalizeUnitName } from '../../src/employers/duplicates';
import { writeNameIndex } from '../../src/employers/name-index';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { Employer } from '../../src/employers/employer.entity';
import { hashPassword } from '../../src/auth/passwords';
import { Organisation } from '../../src/organisations/organisation.entity';
import { User } from '../../src/organisations/user.entity';
import { cpuSeconds, databasePid, percentile, startApp } from '../lib/app-process';
import { addTypo, createRng, generateEmployers } from './name-generator';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg('employers', 100_000);
/** Distinct search texts cycled through by the load (so no cache sees only a handful). */
const QUERIES = arg('queries', 2000);
/** Seconds of the same search load before measuring (a service that has just started is cold). */
const WARMUP = arg('warmup', 3);
/** Employers per page of search results (the list pages show 25). */
const PAGE_SIZE = arg('limit', 25);
const SECONDS = arg('seconds', 10);
const IMPORT_ROWS = arg('import-rows', 100_000);
/** Reuse the seeded praktiknav_bench database (skip the 100k seed); for quick re-measuring. */
const REUSE = process.argv.includes('--reuse');
/** Measure only some parts (a, b = search, h = /health beside it, c), e.g. `--only bh` with --reuse. */
const ONLY = (() => {
  const i = process.argv.indexOf('--only');
  return i > 0 ? process.argv[i + 1] : 'abhc';
})();
/** Extra node flags for the app process, e.g. `--app-node-args=--cpu-prof`. */
const APP_NODE_ARGS = (process.argv.find((a) => a.startsWith('--app-node-args=')) ?? '')
  .slice('--app-node-args='.length)
  .split(' ')
  .filter(Boolean);

async function main() {
  process.env.DATABASE_URL = 'mysql://root@127.0.0.1:3306/praktiknav_bench';
  process.env.REDIS_URL = 'redis://127.0.0.1:6379/5';
  process.env.QUEUE_PREFIX = 'pn-bench';
  process.env.APP_ROLE = 'api';
  process.env.LOG_LEVEL = 'error';
  process.env.LOGIN_MAX_ATTEMPTS = '1000';
  const config = loadConfig(process.env);
  const admin = await mysql.createConnection({ host: '127.0.0.1', user: 'root' });
  if (!REUSE) {
    await admin.query('DROP DATABASE IF EXISTS praktiknav_bench');
  }
  await admin.query(
    'CREATE DATABASE IF NOT EXISTS praktiknav_bench CHARACTER SET utf8mb4 COLLATE utf8mb4_swedish_ci',
  );
  await admin.end();
  await runMigrations(config);

  // Seed N employers directly (bulk inserts), as a register that has grown over years.
  const t0 = performance.now();
  const generated = generateEmployers(N, 4711);
  const db = new DataSource(dataSourceOptions(config));
  await db.initialize();
  if (REUSE) {
    await db.query(
      `DELETE e FROM employer e JOIN employer_import_row r ON r.employer_id = e.id WHERE r.status = 'created'`,
    );
    await db.query('DELETE FROM employer_import_row');
    await db.query(
      'DELETE k FROM employer_name_key k LEFT JOIN employer e ON e.id = k.employer_id WHERE e.id IS NULL',
    );
    await db.query(
      'DELETE t FROM employer_search_token t LEFT JOIN employer e ON e.id = t.employer_id WHERE e.id IS NULL',
    );
    await db.query(`DELETE FROM \`user\``);
    await db.query('DELETE FROM organisation');
    // Let InnoDB purge what the last import left (it runs in the background and would take the
    // database's CPU during the measurements): wait until its history list is short.
    for (let i = 0; i < 120; i++) {
      const [row] = (await db.query(
        "SELECT count AS n FROM information_schema.INNODB_METRICS WHERE name = 'trx_rseg_history_len'",
      )) as { n: string }[];
      if (!row || Number(row.n) < 1000) {
        break;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  for (let i = REUSE ? generated.length : 0; i < generated.length; i += 2000) {
    const batch = generated.slice(i, i + 2000).map((g) => ({
      id: newId(),
      name: g.name,
      normalizedName: normalizeEmployerName(g.name).slice(0, 200),
      orgNumber: g.orgNumber,
      orgNumberIsPersonnummer: false,
      unitName: g.unitName,
      normalizedUnitName: normalizeUnitName(g.unitName),
      sector: g.sector,
      municipality: g.municipality,
      segments: [],
      status: 'active' as const,
    }));
    await db
      .createQueryBuilder()
      .insert()
      .into(Employer)
      .values(batch)
      .updateEntity(false)
      .execute();
    await writeNameIndex(db.manager, batch, { fresh: true });
  }
  await db.query('ANALYZE TABLE employer, employer_name_key, employer_search_token');
  console.log(`seeded ${N} employers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // A recruiter with an API token for the HTTP measurements.
  const org = await db.getRepository(Organisation).save({
    id: newId(),
    name: 'Bench AF',
    kind: 'employment_service',
    municipalityCode: '1285',
    active: true,
  });
  const user = await db.getRepository(User).save({
    id: newId(),
    email: 'bench@bench.se',
    name: 'Bench',
    passwordHash: await hashPassword('bench-password-1'),
    roles: ['recruiter'],
    organisationId: org.id,
    active: true,
    locale: 'sv',
    lastLoginAt: null,
  });
  // The app runs in its own process, as in production, so the load generator does not steal its CPU.
  const app = await startApp({}, APP_NODE_ARGS);
  const base = app.base;
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: 'bench-password-1' }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const tokenRes = await fetch(`${base}/api/v1/api-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: 'bench' }),
  });
  const token = ((await tokenRes.json()) as { token: string }).token;
  const auth = { authorization: `Bearer ${token}` };

  // (a) duplicate check: names with a typo, in their municipality.
  const rng = createRng(99);
  const lat: number[] = [];
  for (let i = 0; ONLY.includes('a') && i < 500; i++) {
    const g = generated[Math.floor(rng.next() * generated.length)];
    const q = new URLSearchParams({ name: addTypo(g.name, rng), municipality: g.municipality });
    const s = performance.now();
    const r = await fetch(`${base}/api/v1/employers/duplicate-candidates?${q}`, { headers: auth });
    await r.arrayBuffer();
    lat.push(performance.now() - s);
    if (r.status !== 200) {
      throw new Error(`duplicate check answered ${r.status}`);
    }
  }
  lat.sort((a, b) => a - b);
  if (ONLY.includes('a')) {
    console.log(
      `(a) duplicate check: p50 ${percentile(lat, 50).toFixed(1)} ms, p99 ${percentile(lat, 99).toFixed(1)} ms (500 sequential calls; target p99 <= 50 ms)`,
    );
  }

  const run = (opts: autocannon.Options) =>
    new Promise<autocannon.Result>((resolve, reject) =>
      autocannon(opts, (err, res) => (err ? reject(err) : resolve(res))),
    );
  let searchRate = NaN;
  if (ONLY.includes('b')) {
    // (b) search under load, with the bare health endpoint as the ratio.
    const queries = searchQueries(generated, QUERIES);
    // One stream of queries shared by all connections (each autocannon connection would otherwise
    // start the list from the top, so only its first hundred queries would ever be asked).
    let next = 0;
    const searchLoad = (duration: number) =>
      run({
        url: base,
        connections: 32,
        duration,
        headers: auth,
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => ({
              ...req,
              path: `/api/v1/employers?q=${encodeURIComponent(queries[next++ % queries.length])}&limit=${PAGE_SIZE}`,
            }),
          },
        ],
      });
    if (WARMUP > 0) {
      const warm = await searchLoad(WARMUP); // JIT, connection pool, InnoDB pages; not measured
      console.log(
        `    warm-up ${WARMUP} s: p50 ${warm.latency.p50} ms, p99 ${warm.latency.p99} ms`,
      );
    }
    const dbPid = databasePid();
    const cpu0 = [cpuSeconds(app.child.pid), cpuSeconds(dbPid), process.cpuUsage()];
    const search = await searchLoad(SECONDS);
    const perRequest = (before: number, after: number) =>
      (((after - before) * 1000) / search.requests.total).toFixed(2);
    const load = process.cpuUsage(cpu0[2] as NodeJS.CpuUsage);
    console.log(
      `(b) search: p50 ${search.latency.p50} ms, p90 ${search.latency.p90} ms, p99 ${search.latency.p99} ms, max ${search.latency.max} ms, ${search.requests.average.toFixed(0)} req/s, ${search.non2xx} non-2xx (32 connections, ${SECONDS} s, ${search.requests.total} requests over ${new Set(queries).size} distinct queries; target p99 <= 100 ms)`,
    );
    console.log(
      `    CPU per search request: app ${perRequest(cpu0[0] as number, cpuSeconds(app.child.pid))} ms, database ${perRequest(cpu0[1] as number, cpuSeconds(dbPid))} ms, load generator ${perRequest(0, (load.user + load.system) / 1e6)} ms (2 cores shared by all three)`,
    );
    searchRate = search.requests.average;
  }
  if (ONLY.includes('h')) {
    const health = await run({ url: `${base}/health`, connections: 32, duration: SECONDS });
    console.log(
      `    /health: p50 ${health.latency.p50} ms, p99 ${health.latency.p99} ms, ${health.requests.average.toFixed(0)} req/s; search/health throughput ratio ${(searchRate / health.requests.average).toFixed(2)}`,
    );
  }
  if (ONLY.includes('c')) {
    // (c) import of a 100,000-row CSV of new employers (another seed), streamed.
    const fresh = generateEmployers(IMPORT_ROWS, 8128).map((g) => ({
      ...g,
      orgNumber: g.orgNumber,
    }));
    async function* csvBytes() {
      for await (const line of employersToCsv(fresh, 'sv')) {
        yield Buffer.from(line, 'utf8');
      }
    }
    const ti = performance.now();
    const importCpu0 = [cpuSeconds(app.child.pid), cpuSeconds(databasePid())];
    const res = await fetch(`${base}/api/v1/employers/imports?dryRun=false&filename=bench.csv`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/csv' },
      body: Readable.toWeb(Readable.from(csvBytes())) as unknown as BodyInit,
      duplex: 'half',
    } as RequestInit);
    const imp = (await res.json()) as {
      totalRows: number;
      createdRows: number;
      duplicateRows: number;
      invalidRows: number;
      status: string;
    };
    const importSeconds = (performance.now() - ti) / 1000;
    const importCpu = [
      cpuSeconds(app.child.pid) - importCpu0[0],
      cpuSeconds(databasePid()) - importCpu0[1],
    ];
    console.log(
      `(c) import: ${imp.totalRows} rows in ${importSeconds.toFixed(1)} s (${(imp.totalRows / importSeconds).toFixed(0)} rows/s): created ${imp.createdRows}, duplicates ${imp.duplicateRows}, invalid ${imp.invalidRows}, status ${imp.status} (target <= 60 s)`,
    );
    console.log(
      `    CPU during the import: app ${importCpu[0].toFixed(1)} s, database ${importCpu[1].toFixed(1)} s`,
    );
  }
  app.stop();
  await db.destroy();
}

/**
 * What recruiters type in the search box, drawn from the register (popular words come up as often
 * as they occur): a whole word of a name (60 %), the first 4–6 letters of one (typing, 20 %) or
 * two words of the same name (20 %).
 */
function searchQueries(generated: { name: string }[], n: number): string[] {
  const rng = createRng(2024);
  const out: string[] = [];
  while (out.length < n) {
    const g = generated[Math.floor(rng.next() * generated.length)];
    const words = normalizeEmployerName(g.name)
      .split(' ')
      .filter((w) => w.length >= 4);
    if (words.length === 0) {
      continue;
    }
    const w = words[Math.floor(rng.next() * words.length)];
    const r = rng.next();
    if (r < 0.6) {
      out.push(w);
    } else if (r < 0.8) {
      out.push(w.slice(0, 4 + Math.floor(rng.next() * 3)));
    } else if (words.length >= 2) {
      out.push(words.slice(0, 2).join(' '));
    }
  }
  return out;
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);

import Redis from 'ioredis';
import mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { AppConfig, redactUrl } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';

/** A start-up failure with a message for a person, not a stack trace. */
export class StartupError extends Error {}

const DB_TIMEOUT_MS = 5000;

/**
 * Connects to MySQL/MariaDB without a database and creates ours if missing (utf8mb4, Swedish
 * collation: å, ä, ö are distinct letters and sort last, as users expect).
 */
export async function ensureDatabase(config: AppConfig): Promise<void> {
  const url = new URL(config.database.url);
  let conn: mysql.Connection | undefined;
  try {
    conn = await mysql.createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username || 'root'),
      password: decodeURIComponent(url.password),
      connectTimeout: DB_TIMEOUT_MS,
    });
    await conn.query(
      `CREATE DATABASE IF NOT EXISTS \`${config.database.name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_swedish_ci`,
    );
  } catch (e) {
    const err = e as { code?: string; message?: string };
    throw new StartupError(
      [
        `Cannot reach MySQL/MariaDB at ${redactUrl(config.database.url)} (${err.code ?? err.message}).`,
        'Start the database (e.g. `docker compose up -d mysql`, or your local MariaDB/MySQL service),',
        'or set DATABASE_URL to a reachable server, e.g. DATABASE_URL=mysql://user:password@host:3306/praktiknav',
      ].join('\n  '),
    );
  } finally {
    await conn?.end().catch(() => undefined);
  }
}

export async function checkRedis(config: AppConfig): Promise<void> {
  const client = new Redis(config.redis.url, {
    connectTimeout: 5000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    lazyConnect: true,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    throw new StartupError(
      [
        `Cannot reach Redis at ${redactUrl(config.redis.url)} (${(e as Error).message}).`,
        'Start Redis (e.g. `docker compose up -d redis` or `redis-server --daemonize yes`),',
        'or set REDIS_URL to a reachable server, e.g. REDIS_URL=redis://host:6379',
      ].join('\n  '),
    );
  } finally {
    client.disconnect();
  }
}

/**
 * Applies pending migrations under a MySQL named lock, so several instances starting together
 * do not race (the loser waits, then finds nothing to do).
 */
export async function runMigrations(
  config: AppConfig,
  log: (msg: string) => void = () => undefined,
): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(config));
  await ds.initialize();
  const lock = ds.createQueryRunner();
  try {
    await lock.connect();
    const [row] = await lock.query(`SELECT GET_LOCK('praktiknav_migrations', 120) AS got`);
    if (Number(row?.got) !== 1) {
      throw new StartupError(
        'Timed out waiting for another instance to finish migrations (lock praktiknav_migrations)',
      );
    }
    const done = await ds.runMigrations({ transaction: 'each' });
    for (const m of done) {
      log(`Applied migration ${m.name}`);
    }
    return done.map((m) => m.name);
  } finally {
    await lock.query(`SELECT RELEASE_LOCK('praktiknav_migrations')`).catch(() => undefined);
    await lock.release();
    await ds.destroy();
  }
}

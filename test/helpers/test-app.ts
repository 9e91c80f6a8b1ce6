import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import Redis from 'ioredis';
import { Writable } from 'node:stream';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/bootstrap/configure-app';
import { runMigrations } from '../../src/bootstrap/preflight';
import { Clock } from '../../src/common/clock';
import { AppConfig, loadConfig } from '../../src/config/app-config';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  clock: Clock;
  db: DataSource;
  /** Log lines the app wrote (JSON strings), for redaction checks. */
  logs: string[];
  http: () => ReturnType<typeof request>;
  agent: () => ReturnType<typeof request.agent>;
  close: () => Promise<void>;
}

let migrated = false;

/** Empties every table (but the migrations log) and the test Redis database. */
export async function resetState(db: DataSource, config: AppConfig): Promise<void> {
  const tables: { name: string }[] = await db.query(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' AND table_name <> 'migrations'`,
  );
  await db.transaction(async (m) => {
    await m.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const t of tables) {
      await m.query(`DELETE FROM \`${t.name}\``);
    }
    await m.query('SET FOREIGN_KEY_CHECKS = 1');
  });
  const redis = new Redis(config.redis.url);
  await redis.flushdb();
  redis.disconnect();
}

/** The real AppModule, configured exactly as main.ts does, on the test database. */
export async function createTestApp(
  overrides: Record<string, string> = {},
  opts: { listen?: boolean } = {},
): Promise<TestApp> {
  const config = loadConfig({ ...process.env, ...overrides });
  if (!migrated) {
    await runMigrations(config);
    migrated = true;
  }
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config, { logStream })],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bufferLogs: true,
    bodyParser: false,
  });
  await configureApp(app);
  if (opts.listen) {
    await app.listen(0, '127.0.0.1');
  } else {
    await app.init();
  }
  const db = app.get(DataSource);
  await resetState(db, config);
  const server = app.getHttpServer();
  return {
    app,
    config,
    clock: app.get(Clock),
    db,
    logs,
    http: () => request(server),
    agent: () => request.agent(server),
    close: () => app.close(),
  };
}

export function baseUrl(t: TestApp): string {
  const addr = t.app.getHttpServer().address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}

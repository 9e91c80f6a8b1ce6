import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { runMigrations } from '../../src/bootstrap/preflight';
import { loadConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { QueueName, JobName } from '../../src/queue/queue.constants';
import { SystemProcessor } from '../../src/queue/system.processor';
import { createTestApp } from '../helpers/test-app';

const ROOT = join(__dirname, '..', '..');

/** Runs the real entry point with ts-node and returns its exit code, output and duration. */
function start(
  env: Record<string, string>,
  timeoutMs = 30000,
): Promise<{ code: number | null; out: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/main.ts'],
      {
        cwd: ROOT,
        env: { ...process.env, ...env, PORT: '0' },
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, ms: Date.now() - t0 });
    });
  });
}

describe('platform: migrations, queue wiring, start-up checks', () => {
  it('has migrations that match the entities exactly, and that revert and re-apply cleanly', async () => {
    const config = loadConfig(process.env);
    await runMigrations(config);
    const ds = new DataSource(dataSourceOptions(config));
    await ds.initialize();
    try {
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      const applied: { name: string }[] = await ds.query('SELECT name FROM migrations');
      for (let i = 0; i < applied.length; i++) {
        await ds.undoLastMigration({ transaction: 'each' });
      }
      const left = await ds.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> 'migrations'`,
      );
      expect(left).toEqual([]);
      await ds.runMigrations({ transaction: 'each' });
      expect((await ds.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('runs queue processors where APP_ROLE is all, and not where it is api', async () => {
    const all = await createTestApp({ APP_ROLE: 'all' });
    try {
      const queue = all.app.get<Queue>(getQueueToken(QueueName.System));
      const job = await queue.add(JobName.Heartbeat, {}, { removeOnComplete: false });
      const result = await job.finished();
      expect(result.at).toEqual(expect.any(String));
      expect(all.app.get(SystemProcessor)).toBeDefined();
    } finally {
      await all.close();
    }
    const api = await createTestApp({ APP_ROLE: 'api' });
    try {
      expect(() => api.app.get(SystemProcessor)).toThrow();
    } finally {
      await api.close();
    }
  });

  it('fails fast with a clear message when MySQL is unreachable', async () => {
    const r = await start({ DATABASE_URL: 'mysql://root:pw@127.0.0.1:1/praktiknav_test' });
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(10000 + 8000); // 10 s budget plus ts-node's compile time
    expect(r.out).toContain(
      'Cannot reach MySQL/MariaDB at mysql://root:***@127.0.0.1:1/praktiknav_test',
    );
    expect(r.out).toContain('DATABASE_URL');
    expect(r.out).not.toMatch(/\n\s+at \S+ \(/); // no stack trace
  });

  it('fails fast with a clear message when Redis is unreachable', async () => {
    const r = await start({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('Cannot reach Redis at redis://127.0.0.1:1');
    expect(r.out).toContain('REDIS_URL');
  });

  it('shuts down gracefully on SIGTERM: closes and exits by itself, fast', async () => {
    const port = 3800 + Math.floor(Math.random() * 90);
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/main.ts'],
      {
        cwd: ROOT,
        env: { ...process.env, PORT: String(port), APP_ROLE: 'all' },
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    // Nest closes the app on SIGTERM, then re-raises the signal: exit by SIGTERM (not SIGKILL).
    const exited = new Promise<string>((resolve) =>
      child.on('exit', (code, signal) => resolve(code === 0 ? 'exit 0' : String(signal))),
    );
    let up = false;
    for (let i = 0; i < 60 && !up; i++) {
      up = await fetch(`http://127.0.0.1:${port}/health`)
        .then((r) => r.ok)
        .catch(() => false);
      if (!up) {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    expect(up).toBe(true);
    const t0 = Date.now();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
    const how = await exited;
    clearTimeout(timer);
    expect(['exit 0', 'SIGTERM']).toContain(how);
    expect(Date.now() - t0).toBeLessThan(10000);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('refuses to start in production without secrets', async () => {
    const r = await start({ NODE_ENV: 'production', APP_SECRET: '', DATA_KEY: '' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('APP_SECRET must be set when NODE_ENV=production');
    expect(r.out).toContain('DATA_KEY must be set when NODE_ENV=production');
  });
});

import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

/** Environment of a fault-test worker: short timeouts and backoffs so the tests stay quick. */
export const FAST_MAIL_ENV: Record<string, string> = {
  MAIL_SENDING_TIMEOUT_SECONDS: '5',
  MAIL_SWEEP_SECONDS: '1',
  MAIL_STALE_SECONDS: '2',
  MAIL_JOB_LOCK_SECONDS: '5',
  MAIL_RETRY_BASE_SECONDS: '1',
  MAIL_RETRY_MAX_SECONDS: '2',
  MAIL_MAX_ATTEMPTS: '40',
  MAIL_POOL_SIZE: '5',
  REMINDERS_SCAN_SECONDS: '3600',
  LOG_LEVEL: 'warn',
};

export interface Worker {
  child: ChildProcess;
  /** http://127.0.0.1:port of this process. */
  base: string;
  output: () => string;
  /** SIGKILL: no shutdown hooks, in-flight work is cut wherever it is. */
  kill9: () => Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/**
 * The real app (src/main.ts under ts-node) as a separate process with APP_ROLE=worker (or `api`:
 * a second API instance), as in production. Resolves once it answers /health.
 */
export async function startWorker(
  env: Record<string, string>,
  role: 'worker' | 'api' = 'worker',
): Promise<Worker> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...FAST_MAIL_ENV, ...env, APP_ROLE: role, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out = (out + d).slice(-20_000)));
  child.stderr!.on('data', (d) => (out = (out + d).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`worker exited with ${child.exitCode}:\n${out}`);
    }
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) {
        break;
      }
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`worker did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    output: () => out,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** A throw-away Redis on its own port for the restart test; the machine's Redis is never touched. */
export class ScratchRedis {
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    await run('redis-server', [
      '--port',
      String(this.port),
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'yes',
      '--dir',
      '/tmp',
      '--pidfile',
      `/tmp/praktiknav-fault-redis-${this.port}.pid`,
    ]);
    for (let i = 0; i < 50; i++) {
      try {
        const { stdout } = await run('redis-cli', ['-p', String(this.port), 'ping']);
        if (stdout.trim() === 'PONG') {
          return;
        }
      } catch {
        // starting
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`redis-server on ${this.port} did not start`);
  }

  async stop(): Promise<void> {
    await run('redis-cli', ['-p', String(this.port), 'shutdown', 'nosave']).catch(() => undefined);
    for (let i = 0; i < 50; i++) {
      try {
        await run('redis-cli', ['-p', String(this.port), 'ping']);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

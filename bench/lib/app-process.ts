import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Starts Praktiknav in its own process (as in production), so the load generator in the
 * benchmark process does not steal the app's CPU. Resolves when /health answers.
 */
export async function startApp(
  env: Record<string, string>,
): Promise<{ base: string; child: ChildProcess; stop: () => void }> {
  const port = 3900 + Math.floor(Math.random() * 90);
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) {
        break;
      }
    } catch {
      // not up yet
    }
    if (i > 120 || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('the app did not start');
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { base, child, stop: () => child.kill('SIGTERM') };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Starts Praktiknav in its own process (as in production), so the load generator in the
 * benchmark process does not steal the app's CPU. Resolves when /health answers.
 */
export async function startApp(
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<{ base: string; child: ChildProcess; stop: () => void }> {
  const port = 3900 + Math.floor(Math.random() * 90);
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [...productionNodeFlags(), ...nodeArgs, '-r', 'ts-node/register/transpile-only', 'src/main.ts'],
    {
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ['ignore', process.env.BENCH_APP_STDOUT ? 'inherit' : 'ignore', 'inherit'],
    },
  );
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

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
  } catch {
    return NaN;
  }
}

/** The pid of the local MariaDB/MySQL server, to report its CPU beside the app's. */
export function databasePid(): number | undefined {
  for (const name of ['mariadbd', 'mysqld']) {
    try {
      const out = execFileSync('pidof', [name], { encoding: 'utf8' }).trim();
      if (out) {
        return Number(out.split(' ')[0]);
      }
    } catch {
      // not running under that name
    }
  }
  return undefined;
}

/** The Node flags `npm start` runs the app with (package.json "config.node_flags"). */
function productionNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    config?: { node_flags?: string };
  };
  return (pkg.config?.node_flags ?? '').split(' ').filter(Boolean);
}

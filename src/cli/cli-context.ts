import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { checkRedis, ensureDatabase, runMigrations, StartupError } from '../bootstrap/preflight';
import { AppConfig, ConfigError, loadConfig } from '../config/app-config';
import { persistentDevSecret } from '../config/dev-secrets';
import { dataSourceOptions } from '../database/data-source-options';

/** Opens the database for a command-line tool (schema brought up to date first). */
export async function openCli(): Promise<{ config: AppConfig; db: DataSource }> {
  try {
    const config = loadConfig(process.env, persistentDevSecret);
    await ensureDatabase(config);
    await runMigrations(config);
    const db = new DataSource(dataSourceOptions(config));
    await db.initialize();
    return { config, db };
  } catch (e) {
    if (e instanceof StartupError || e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

export { checkRedis };

/** Minimal --flag value parser (repeated flags collect into arrays). */
export function parseArgs(argv: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      continue;
    }
    const [key, inline] = a.slice(2).split('=', 2);
    const value = inline ?? (argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : 'true');
    (out[key] ??= []).push(value);
  }
  return out;
}

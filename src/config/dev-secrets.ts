import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/paths';

/**
 * In development a missing secret is generated once and kept in .dev-secrets.json (git-ignored),
 * so encrypted fields and sessions survive a restart. Production never gets here.
 */
export function persistentDevSecret(name: string, make: () => string): string {
  const file = join(projectRoot(), '.dev-secrets.json');
  let stored: Record<string, string> = {};
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      stored = {};
    }
  }
  if (!stored[name]) {
    stored[name] = make();
    writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
  }
  return stored[name];
}

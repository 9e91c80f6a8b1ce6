import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | null = null;

/** The folder holding package.json, whether running from src/ (ts-node, Jest) or dist/. */
export function projectRoot(): string {
  if (root) {
    return root;
  }
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) {
      throw new Error('Cannot find the project root (package.json)');
    }
    dir = up;
  }
  root = dir;
  return dir;
}

export const templatesDir = (...parts: string[]): string =>
  join(projectRoot(), 'templates', ...parts);

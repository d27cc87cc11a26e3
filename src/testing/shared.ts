/**
 * Where the project's shared fixtures live (tests only). CI and developers have `../shared` beside
 * the repository; `DARTS_SHARED_DIR` overrides it (e.g. for a clone in a temporary folder).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// vitest runs from the repository root (import.meta.url is not a file URL under jsdom).
const REPO_ROOT = resolve(process.cwd());

export function sharedDir(): string {
  const candidates = [process.env.DARTS_SHARED_DIR, join(REPO_ROOT, '..', 'shared')].filter(Boolean) as string[];
  const found = candidates.find((d) => existsSync(join(d, 'fixtures')));
  if (!found) throw new Error(`shared fixtures not found (looked in ${candidates.join(', ')}); set DARTS_SHARED_DIR`);
  return found;
}

export function fixturePath(name: string): string {
  return join(sharedDir(), 'fixtures', name);
}

export function readFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as T;
}

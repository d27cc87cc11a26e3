/**
 * The pure parts of the service worker (sw.ts), kept apart so they can be tested in Node.
 *
 * Offline model (issue 5 item 9): at build time `precachePlugin.ts` lists every file the app can
 * need (Vite's emitted JS/CSS/wasm, index.html, public/ with the datasets and replays), each with
 * a content hash (`rev`). The service worker downloads them all on install into one cache per
 * build (`darts-app-<version>`), serves them cache-first, and deletes older builds' caches when a
 * new build activates. A file whose content did not change between two builds is copied from the
 * old cache instead of downloaded again (its cache key carries the content hash), so an update
 * after a small change does not download the 7 MB of datasets again.
 */

/** Every cache this worker owns starts with this; other caches (e.g. `darts-data-v1`) are left alone. */
export const CACHE_PREFIX = 'darts-app-';

export interface PrecacheEntry {
  /** Path relative to the app's base URL (the service worker's scope), e.g. `assets/index-abc.js`. */
  url: string;
  /** Content hash: the cache key changes exactly when the bytes do. */
  rev: string;
  /** Bytes, for the status line and for tests. */
  size: number;
}

export interface PrecacheManifest {
  /** Hash of all entries: names this build's cache. */
  version: string;
  entries: PrecacheEntry[];
}

/** The global the build prepends to sw.js (`self.__DARTS_PRECACHE__ = {…}`). */
export const MANIFEST_GLOBAL = '__DARTS_PRECACHE__';

/** Messages between the page and the worker. */
export const MSG_SKIP_WAITING = 'darts-skip-waiting';

export function cacheName(version: string): string {
  return `${CACHE_PREFIX}${version}`;
}

/** The cache key of an entry: its absolute URL plus the content hash. */
export function cacheKey(entry: PrecacheEntry, scope: string): string {
  const u = new URL(entry.url, scope);
  u.searchParams.set('__rev', entry.rev);
  return u.href;
}

/** Caches of older builds: ours (prefix) but not the current one. */
export function obsoleteCaches(names: readonly string[], current: string): string[] {
  return names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== current);
}

/** Path of `url` relative to `scope` ('' for the scope itself), or null when outside it or cross-origin. */
export function scopePath(url: string, scope: string): string | null {
  const u = new URL(url);
  const s = new URL(scope);
  if (u.origin !== s.origin || !u.pathname.startsWith(s.pathname)) return null;
  return decodeURIComponent(u.pathname.slice(s.pathname.length));
}

/**
 * The precached file that answers a request, or undefined (the request goes to the network).
 * A navigation to the app (the scope itself or index.html, with any query or hash: the app reads
 * its state from them) gets index.html; any other request must name a precached file exactly,
 * query included (nothing in the app adds a query to a static file).
 */
export function entryFor(
  byPath: ReadonlyMap<string, PrecacheEntry>,
  request: { url: string; method: string; mode: string },
  scope: string,
): PrecacheEntry | undefined {
  if (request.method !== 'GET') return undefined;
  const path = scopePath(request.url, scope);
  if (path === null) return undefined;
  const isApp = path === '' || path === 'index.html';
  if (request.mode === 'navigate' && isApp) return byPath.get('index.html');
  if (new URL(request.url).search) return undefined;
  return byPath.get(path === '' ? 'index.html' : path);
}

/**
 * The service worker: makes the app work offline after the first visit (issue 5 item 9).
 *
 * Built as its own entry (`sw.js` at the root of the build, see precachePlugin.ts), which prepends
 * `self.__DARTS_PRECACHE__ = { version, entries }`: every file of the build with its content hash.
 * The lifecycle, in short (https://web.dev/articles/service-worker-lifecycle):
 *
 *  - install: download every listed file into `darts-app-<version>` (files unchanged since the
 *    previous build are copied from its cache). If one download fails, the install fails and the
 *    browser retries on the next visit; the page keeps working online meanwhile.
 *  - activate: delete the caches of older builds, take control of open pages (`clients.claim`),
 *    so the very first visit is already served from the cache after a reload.
 *  - fetch: precached files are answered from the cache, everything else goes to the network.
 *  - a new build waits until the page asks it to take over (the "Update available" button posts
 *    MSG_SKIP_WAITING), so a lecture is never reloaded under the lecturer's feet.
 *
 * Registered only in production builds (src/pwa/register.ts); the dev server never sees it.
 */
import {
  MANIFEST_GLOBAL,
  MSG_SKIP_WAITING,
  cacheKey,
  cacheName,
  entryFor,
  obsoleteCaches,
  type PrecacheEntry,
  type PrecacheManifest,
} from './swLogic';

const sw = self as unknown as ServiceWorkerGlobalScope & { [MANIFEST_GLOBAL]?: PrecacheManifest };
const manifest: PrecacheManifest = sw[MANIFEST_GLOBAL] ?? { version: 'unbuilt', entries: [] };
const scope = sw.registration.scope;
const current = cacheName(manifest.version);
const byPath = new Map(manifest.entries.map((e) => [e.url, e]));
/** Parallel downloads during install: enough to fill a slow link, few enough not to starve the page. */
const PARALLEL = 4;

async function precacheOne(cache: Cache, entry: PrecacheEntry): Promise<void> {
  const key = cacheKey(entry, scope);
  if (await cache.match(key)) return;
  // Same bytes in an older build's cache (the key carries the content hash): copy, do not download.
  const old = await caches.match(key);
  if (old) return cache.put(key, old);
  const res = await fetch(new URL(entry.url, scope).href, { cache: 'no-cache' });
  if (!res.ok) throw new Error(`precache: ${entry.url} answered ${res.status}`);
  // A redirected response cannot answer a navigation; keep only the body and headers.
  const body = res.redirected ? new Response(await res.blob(), { status: res.status, headers: res.headers }) : res;
  await cache.put(key, body);
}

async function precacheAll(): Promise<void> {
  const cache = await caches.open(current);
  const queue = [...manifest.entries];
  const workers = Array.from({ length: PARALLEL }, async () => {
    for (let e = queue.shift(); e; e = queue.shift()) await precacheOne(cache, e);
  });
  await Promise.all(workers);
}

sw.addEventListener('install', (event) => {
  event.waitUntil(precacheAll());
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of obsoleteCaches(await caches.keys(), current)) await caches.delete(name);
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === MSG_SKIP_WAITING) void sw.skipWaiting();
});

sw.addEventListener('fetch', (event) => {
  const entry = entryFor(byPath, event.request, scope);
  if (!entry) return;
  event.respondWith(
    (async () => {
      const hit = await caches.open(current).then((c) => c.match(cacheKey(entry, scope)));
      return hit ?? fetch(event.request);
    })(),
  );
});

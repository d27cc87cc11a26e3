import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { clearBuiltinMemo, DATA_CACHE_NAME, dataUrl, loadBuiltin } from './builtinLoader';
import type { LoadProgress } from './types';

const BASE = 'https://example.test/darts/';
const MNIST_URL = `${BASE}data/mnist.bin`;
let gz: Uint8Array;
let manifest: string;

beforeAll(() => {
  const root = process.cwd();
  execFileSync(process.execPath, [join(root, 'scripts', 'build-data.mjs')], { stdio: 'pipe' });
  gz = new Uint8Array(readFileSync(join(root, 'public', 'data', 'mnist.bin')));
  manifest = readFileSync(join(root, 'public', 'data', 'manifest.json'), 'utf8');
});

afterEach(() => {
  clearBuiltinMemo();
  vi.unstubAllGlobals();
});

/** A body streamed in `chunks` pieces. */
function streamOf(bytes: Uint8Array, chunks = 7): ReadableStream<Uint8Array> {
  const step = Math.ceil(bytes.length / chunks);
  let o = 0;
  return new ReadableStream({
    pull(ctrl) {
      if (o >= bytes.length) return ctrl.close();
      ctrl.enqueue(bytes.slice(o, o + step));
      o += step;
    },
  });
}

interface FakeServer {
  fetch: typeof fetch;
  calls: string[];
}

/** A fake server: `files` maps URLs to bodies; `lengthHeader` controls Content-Length. */
function server(files: Record<string, Uint8Array | string | number>, lengthHeader = true): FakeServer {
  const calls: string[] = [];
  const f = async (input: RequestInfo | URL) => {
    const url = String(input);
    calls.push(url);
    const body = files[url];
    if (body === undefined) return new Response('not found', { status: 404 });
    if (typeof body === 'number') return new Response('oops', { status: body });
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    const headers: Record<string, string> = lengthHeader ? { 'content-length': String(bytes.length) } : {};
    return new Response(streamOf(bytes), { status: 200, headers });
  };
  return { fetch: f as typeof fetch, calls };
}

/** A minimal in-memory Cache API (`caches.open(name)` → match / put / delete). */
function fakeCaches() {
  const stores = new Map<string, Map<string, Uint8Array>>();
  const api = {
    async open(name: string) {
      if (!stores.has(name)) stores.set(name, new Map());
      const store = stores.get(name)!;
      return {
        async match(url: string) {
          const b = store.get(String(url));
          return b ? new Response(b.slice()) : undefined;
        },
        async put(url: string, r: Response) {
          store.set(String(url), new Uint8Array(await r.arrayBuffer()));
        },
        async delete(url: string) {
          return store.delete(String(url));
        },
      };
    },
  };
  return { api, stores };
}

describe('loadBuiltin', () => {
  it('downloads with streaming progress and parses the real MNIST file', async () => {
    const s = server({ [MNIST_URL]: gz });
    const progress: LoadProgress[] = [];
    const set = await loadBuiltin('mnist', { baseUrl: BASE, fetch: s.fetch, cache: false, onProgress: (p) => progress.push(p) });
    expect([set.id, set.train.n, set.test.n, set.height, set.width, set.channels]).toEqual(['mnist', 8004, 1996, 28, 28, 1]);
    expect(s.calls).toEqual([MNIST_URL]);
    const dl = progress.filter((p) => p.phase === 'download');
    expect(dl.length).toBeGreaterThanOrEqual(8); // start + 7 chunks
    for (const p of dl) expect(p.total).toBe(gz.length);
    for (let i = 1; i < dl.length; i++) expect(dl[i].loaded).toBeGreaterThan(dl[i - 1].loaded);
    expect(dl.at(-1)!.loaded).toBe(gz.length);
    expect(progress.map((p) => p.phase)).toContain('decode');
    expect(progress.at(-1)).toMatchObject({ phase: 'parse' });
  });

  it('takes the total from the manifest without Content-Length; accepts bytes the server already gunzipped', async () => {
    const s = server({ [MNIST_URL]: gz, [dataUrl(BASE, 'manifest.json')]: manifest }, false);
    const progress: LoadProgress[] = [];
    await loadBuiltin('mnist', { baseUrl: BASE, fetch: s.fetch, cache: false, onProgress: (p) => progress.push(p) });
    expect(progress.filter((p) => p.phase === 'download').every((p) => p.total === gz.length)).toBe(true);

    clearBuiltinMemo();
    const plain = server({ [MNIST_URL]: new Uint8Array(gunzipSync(gz)) });
    const set = await loadBuiltin('mnist', { baseUrl: BASE, fetch: plain.fetch, cache: false });
    expect(set.train.n).toBe(8004);
  });

  it('memoises in memory: a second call does not fetch', async () => {
    const s = server({ [MNIST_URL]: gz });
    const a = await loadBuiltin('mnist', { baseUrl: BASE, fetch: s.fetch, cache: false });
    const b = await loadBuiltin('mnist', { baseUrl: BASE, fetch: s.fetch, cache: false });
    expect(b).toBe(a);
    expect(s.calls).toHaveLength(1);
  });

  it('stores the download in the Cache API and loads it from there without network', async () => {
    const { api, stores } = fakeCaches();
    vi.stubGlobal('caches', api);
    const s = server({ [MNIST_URL]: gz });
    await loadBuiltin('mnist', { baseUrl: BASE, fetch: s.fetch });
    expect(stores.get(DATA_CACHE_NAME)?.get(MNIST_URL)?.length).toBe(gz.length);

    clearBuiltinMemo(); // a new page load: the memo is gone, the cache is not
    const offline = server({});
    const progress: LoadProgress[] = [];
    const set = await loadBuiltin('mnist', { baseUrl: BASE, fetch: offline.fetch, onProgress: (p) => progress.push(p) });
    expect(offline.calls).toEqual([]);
    expect(set.test.n).toBe(1996);
    expect(progress[0]).toMatchObject({ phase: 'download', detail: 'mnist.bin (cached)' });

    // A damaged cached copy is dropped and downloaded again.
    clearBuiltinMemo();
    stores.get(DATA_CACHE_NAME)!.set(MNIST_URL, gz.slice(0, 1000));
    const again = await loadBuiltin('mnist', { baseUrl: BASE, fetch: s.fetch });
    expect(again.train.n).toBe(8004);
    expect(s.calls).toHaveLength(2);
    expect(stores.get(DATA_CACHE_NAME)?.get(MNIST_URL)?.length).toBe(gz.length);
  });

  it('explains a 404, a server error, a network failure and a corrupt file', async () => {
    await expect(loadBuiltin('mnist', { baseUrl: BASE, fetch: server({}).fetch, cache: false })).rejects.toThrow(
      `MNIST could not be downloaded (HTTP 404 for ${MNIST_URL}). If you run the playground from source, build the data with \`npm run data\`; otherwise reload the page when online, or pick the synthetic dataset.`,
    );
    await expect(loadBuiltin('fashion-mnist', { baseUrl: BASE, fetch: server({ [`${BASE}data/fashion-mnist.bin`]: 503 }).fetch, cache: false })).rejects.toThrow(
      /^Fashion-MNIST could not be downloaded \(HTTP 503 for .*fashion-mnist\.bin\)\. Reload the page when online, or pick the synthetic dataset\.$/,
    );
    const down = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    await expect(loadBuiltin('mnist', { baseUrl: BASE, fetch: down, cache: false })).rejects.toThrow(
      /^MNIST could not be downloaded \(network error for .*mnist\.bin: Failed to fetch\)\. Reload the page when online, or pick the synthetic dataset\.$/,
    );
    const truncated = server({ [MNIST_URL]: gz.slice(0, gz.length >> 1) });
    await expect(loadBuiltin('mnist', { baseUrl: BASE, fetch: truncated.fetch, cache: false })).rejects.toThrow(
      /^The MNIST data file is corrupt: it could not be decompressed .* Reload the page to download it again/,
    );
    const html = server({ [MNIST_URL]: '<!doctype html><title>SPA fallback</title>' });
    await expect(loadBuiltin('mnist', { baseUrl: BASE, fetch: html.fetch, cache: false })).rejects.toThrow(
      /The MNIST data file is not a playground dataset file/,
    );
    await expect(loadBuiltin('cifar10', { baseUrl: BASE, fetch: html.fetch })).rejects.toThrow(/Unknown built-in dataset 'cifar10'/);
  });

  it('a failed load is not memoised: the next call retries', async () => {
    const files: Record<string, Uint8Array> = {};
    const s = server(files);
    await expect(loadBuiltin('mnist', { baseUrl: BASE, fetch: s.fetch, cache: false })).rejects.toThrow(/HTTP 404/);
    files[MNIST_URL] = gz;
    const set = await loadBuiltin('mnist', { baseUrl: BASE, fetch: s.fetch, cache: false });
    expect(set.id).toBe('mnist');
  });
});

/**
 * Loads a built-in dataset (MNIST, Fashion-MNIST) in the browser or the web worker:
 * `${baseUrl}data/<id>.bin`, built by scripts/build-data.mjs, gzip-compressed.
 *
 *  - The body is read as a stream so the UI can show download progress (bytes from
 *    Content-Length, else from `data/manifest.json`, else unknown: total 0).
 *  - The downloaded bytes are kept in the Cache API (`darts-data-v1`) when it exists, so a second
 *    visit works offline; a cached copy that fails to parse is dropped and downloaded again.
 *  - An in-memory memo returns the same RawImageSet for repeated calls in one session.
 *  - Every failure becomes an Error whose message says what happened and what to do.
 *
 * DOM-free and without Node imports: it runs in a module worker (nodeLoader.ts is the Node twin).
 */
import { DataFormatError, gunzipIfNeeded, parseImageSet } from './binaryFormat';
import type { ImageSetSummary, LoadProgress, RawImageSet } from './types';

export const BUILTIN_IDS = ['mnist', 'fashion-mnist'] as const;
export type BuiltinId = (typeof BUILTIN_IDS)[number];

/** Short names used in messages. */
export const BUILTIN_NAMES: Readonly<Record<BuiltinId, string>> = { mnist: 'MNIST', 'fashion-mnist': 'Fashion-MNIST' };

export const DATA_CACHE_NAME = 'darts-data-v1';

export function isBuiltinId(id: string): id is BuiltinId {
  return (BUILTIN_IDS as readonly string[]).includes(id);
}

/** One entry of public/data/manifest.json (the fields the loader and the UI use). */
export interface ManifestEntry extends ImageSetSummary {
  file: string;
  /** Bytes of the gzip file. */
  size: number;
  /** Bytes after gunzip. */
  rawSize: number;
  subset: string;
}

export interface LoadBuiltinOptions {
  /** The app's base URL ending in '/', e.g. import.meta.env.BASE_URL or new URL('./', location.href). */
  baseUrl: string;
  fetch?: typeof fetch;
  onProgress?: (p: LoadProgress) => void;
  /** Use the Cache API when available (default true). */
  cache?: boolean;
  signal?: AbortSignal;
}

/** URL of a file under `${baseUrl}data/`. */
export function dataUrl(baseUrl: string, file: string): string {
  return `${baseUrl.endsWith('/') ? baseUrl : baseUrl + '/'}data/${file}`;
}

const memo = new Map<string, Promise<RawImageSet>>();

/** Forget the in-memory copies (tests; or to free memory). */
export function clearBuiltinMemo(): void {
  memo.clear();
}

/** Fetch `${baseUrl}data/manifest.json`; undefined when it cannot be had. */
export async function fetchManifest(baseUrl: string, fetchFn: typeof fetch = fetch): Promise<ManifestEntry[] | undefined> {
  try {
    const r = await fetchFn(dataUrl(baseUrl, 'manifest.json'));
    if (!r.ok) return undefined;
    const m = (await r.json()) as { datasets?: ManifestEntry[] };
    return Array.isArray(m.datasets) ? m.datasets : undefined;
  } catch {
    return undefined;
  }
}

/** Load a built-in dataset (memoised per baseUrl and id). */
export function loadBuiltin(id: string, opts: LoadBuiltinOptions): Promise<RawImageSet> {
  if (!isBuiltinId(id)) {
    return Promise.reject(new Error(`Unknown built-in dataset '${id}'; the built-in datasets are ${BUILTIN_IDS.join(', ')}.`));
  }
  const key = `${opts.baseUrl}|${id}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const p = load(id, opts);
  memo.set(key, p);
  p.catch(() => memo.delete(key)); // a failed load is retried on the next call
  return p;
}

function openCache(use: boolean | undefined): Promise<Cache | undefined> {
  if (use === false || typeof caches === 'undefined') return Promise.resolve(undefined);
  // Opaque origins and some private modes refuse the Cache API: carry on without it.
  return caches.open(DATA_CACHE_NAME).catch(() => undefined);
}

async function load(id: BuiltinId, opts: LoadBuiltinOptions): Promise<RawImageSet> {
  const name = BUILTIN_NAMES[id];
  const url = dataUrl(opts.baseUrl, `${id}.bin`);
  const fetchFn = opts.fetch ?? fetch;
  const report = opts.onProgress ?? (() => {});
  const cache = await openCache(opts.cache);

  if (cache) {
    const cached = await cache.match(url).catch(() => undefined);
    if (cached) {
      try {
        const bytes = new Uint8Array(await cached.arrayBuffer());
        report({ phase: 'download', loaded: bytes.length, total: bytes.length, detail: `${id}.bin (cached)` });
        return await decode(bytes, name, report);
      } catch {
        await cache.delete(url).catch(() => false); // stale or damaged: fetch a fresh copy
      }
    }
  }

  let response: Response;
  try {
    response = await fetchFn(url, { signal: opts.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new Error(
      `${name} could not be downloaded (network error for ${url}: ${(e as Error).message}). ` +
        'Reload the page when online, or pick the synthetic dataset.',
    );
  }
  if (!response.ok) {
    const hint =
      response.status === 404
        ? ' If you run the playground from source, build the data with `npm run data`; otherwise reload the page when online, or pick the synthetic dataset.'
        : ' Reload the page when online, or pick the synthetic dataset.';
    throw new Error(`${name} could not be downloaded (HTTP ${response.status} for ${url}).${hint}`);
  }

  const bytes = await readBody(response, id, name, url, opts, fetchFn, report);
  const set = await decode(bytes, name, report);
  if (cache) {
    const headers = { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) };
    await cache.put(url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers })).catch(() => {}); // quota: fine without
  }
  return set;
}

/** Read the body as a stream, reporting progress. */
async function readBody(
  response: Response,
  id: BuiltinId,
  name: string,
  url: string,
  opts: LoadBuiltinOptions,
  fetchFn: typeof fetch,
  report: (p: LoadProgress) => void,
): Promise<Uint8Array> {
  const detail = `${id}.bin`;
  // With Content-Encoding the browser hands over decoded bytes, so Content-Length does not count them.
  const encoding = response.headers.get('content-encoding');
  const encoded = encoding !== null && encoding !== 'identity';
  const length = Number(response.headers.get('content-length'));
  let total = !encoded && Number.isFinite(length) && length > 0 ? length : 0;
  if (total === 0) {
    const entry = (await fetchManifest(opts.baseUrl, fetchFn))?.find((d) => d.id === id);
    if (entry) total = encoded ? entry.rawSize : entry.size;
  }
  report({ phase: 'download', loaded: 0, total, detail });
  try {
    if (!response.body) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      report({ phase: 'download', loaded: bytes.length, total: Math.max(total, bytes.length), detail });
      return bytes;
    }
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let loaded = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      report({ phase: 'download', loaded, total: Math.max(total, loaded), detail });
    }
    const bytes = new Uint8Array(loaded);
    let o = 0;
    for (const c of chunks) {
      bytes.set(c, o);
      o += c.length;
    }
    return bytes;
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new Error(
      `${name} could not be downloaded: the connection broke off (${(e as Error).message}) while reading ${url}. ` +
        'Reload the page when online, or pick the synthetic dataset.',
    );
  }
}

async function decode(bytes: Uint8Array, name: string, report: (p: LoadProgress) => void): Promise<RawImageSet> {
  const what = `The ${name} data file`;
  try {
    report({ phase: 'decode', loaded: 0, total: bytes.length });
    const raw = await gunzipIfNeeded(bytes, what);
    report({ phase: 'decode', loaded: bytes.length, total: bytes.length });
    report({ phase: 'parse', loaded: 0, total: raw.length });
    const set = parseImageSet(raw, what);
    report({ phase: 'parse', loaded: raw.length, total: raw.length });
    return set;
  } catch (e) {
    if (e instanceof DataFormatError) {
      throw new Error(`${e.message} Reload the page to download it again (if this keeps happening, clear this site's data), or pick the synthetic dataset.`);
    }
    throw e;
  }
}

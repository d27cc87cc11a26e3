import { describe, expect, it } from 'vitest';
import { SKIP_WAITING_MESSAGE } from './register';
import { CACHE_PREFIX, cacheKey, cacheName, entryFor, MSG_SKIP_WAITING, obsoleteCaches, scopePath, type PrecacheEntry } from './swLogic';

const SCOPE = 'https://example.org/darts/';
const entries: PrecacheEntry[] = [
  { url: 'index.html', rev: 'aaa', size: 1 },
  { url: 'assets/index-x1.js', rev: 'bbb', size: 2 },
  { url: 'data/mnist.bin', rev: 'ccc', size: 3 },
];
const byPath = new Map(entries.map((e) => [e.url, e]));
const get = (url: string, mode = 'cors', method = 'GET') => entryFor(byPath, { url, mode, method }, SCOPE)?.url;

describe('service worker logic', () => {
  it('keys a file by URL and content hash, so unchanged files can be copied between builds', () => {
    expect(cacheKey(entries[2], SCOPE)).toBe('https://example.org/darts/data/mnist.bin?__rev=ccc');
    expect(cacheKey({ ...entries[2], rev: 'ddd' }, SCOPE)).not.toBe(cacheKey(entries[2], SCOPE));
    expect(cacheName('v1')).toBe(`${CACHE_PREFIX}v1`);
  });

  it('deletes only its own older caches, never the data cache of the worker', () => {
    const names = [cacheName('old'), cacheName('new'), 'darts-data-v1', 'other'];
    expect(obsoleteCaches(names, cacheName('new'))).toEqual([cacheName('old')]);
  });

  it('maps URLs inside the scope to relative paths', () => {
    expect(scopePath('https://example.org/darts/', SCOPE)).toBe('');
    expect(scopePath('https://example.org/darts/assets/a%20b.js', SCOPE)).toBe('assets/a b.js');
    expect(scopePath('https://example.org/other/x.js', SCOPE)).toBeNull();
    expect(scopePath('https://cdn.example.com/darts/x.js', SCOPE)).toBeNull();
  });

  it('answers app navigations (any query) with index.html and files by exact path', () => {
    expect(get('https://example.org/darts/?preset=lecture#x', 'navigate')).toBe('index.html');
    expect(get('https://example.org/darts/index.html?C=4', 'navigate')).toBe('index.html');
    expect(get('https://example.org/darts/assets/index-x1.js')).toBe('assets/index-x1.js');
    expect(get('https://example.org/darts/data/mnist.bin')).toBe('data/mnist.bin');
    // Not precached, another method, a query on a file, outside the scope: network.
    expect(get('https://example.org/darts/data/cifar.bin')).toBeUndefined();
    expect(get('https://example.org/darts/data/mnist.bin', 'cors', 'POST')).toBeUndefined();
    expect(get('https://example.org/darts/data/mnist.bin?x=1')).toBeUndefined();
    expect(get('https://example.org/index.html', 'navigate')).toBeUndefined();
    // A navigation to a precached file other than the app gets that file.
    expect(get('https://example.org/darts/data/mnist.bin', 'navigate')).toBe('data/mnist.bin');
  });

  it('page and worker agree on the update message', () => {
    expect(SKIP_WAITING_MESSAGE).toBe(MSG_SKIP_WAITING);
  });
});

import { describe, expect, it } from 'vitest';
import { buildManifest, isPrecached, manifestPrologue } from './precachePlugin';

const file = (path: string, text: string) => ({ path, bytes: new TextEncoder().encode(text) });

describe('precache manifest', () => {
  it('lists what the app fetches and leaves out what it never does', () => {
    for (const f of ['index.html', 'assets/index-abc.js', 'assets/tfjs-backend-wasm-simd-x.wasm', 'data/mnist.bin', 'replays/lecture.json', 'assets/KaTeX_Main-Regular-x.woff2']) {
      expect(isPrecached(f), f).toBe(true);
    }
    for (const f of ['sw.js', 'assets/index-abc.js.map', '.DS_Store', 'data/.gitkeep', 'assets/tfjs-backend-wasm-threaded-simd-x.wasm', 'assets/KaTeX_Main-Regular-x.woff', 'assets/KaTeX_Main-Regular-x.ttf']) {
      expect(isPrecached(f), f).toBe(false);
    }
  });

  it('hashes contents: the version changes with any byte, not with the listing order', () => {
    const a = buildManifest([file('index.html', '<html>'), file('data/mnist.bin', 'xyz'), file('sw.js', 'self')]);
    expect(a.entries.map((e) => e.url)).toEqual(['data/mnist.bin', 'index.html']);
    expect(a.entries[0]).toMatchObject({ size: 3, rev: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const reordered = buildManifest([file('data/mnist.bin', 'xyz'), file('index.html', '<html>')]);
    expect(reordered).toEqual(a);
    const changed = buildManifest([file('index.html', '<html>'), file('data/mnist.bin', 'xyZ')]);
    expect(changed.version).not.toBe(a.version);
    expect(changed.entries[1].rev).toBe(a.entries[1].rev); // index.html unchanged: same key, copied not refetched
  });

  it('prepends the manifest as a global the worker reads', () => {
    const m = buildManifest([file('index.html', 'x')]);
    const line = manifestPrologue(m);
    expect(line.endsWith(';\n')).toBe(true);
    const g: Record<string, unknown> = {};
    new Function('self', line)(g);
    expect(g.__DARTS_PRECACHE__).toEqual(m);
  });
});

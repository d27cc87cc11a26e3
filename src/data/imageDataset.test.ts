import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng';
import type { Batch } from '../engine/types';
import { cropPadding, ImageDataset } from './imageDataset';
import { loadBuiltinNode } from './nodeLoader';
import type { RawImageSet } from './types';

/**
 * An 8×8 grey set whose images carry their identity: pixel 0 = index low byte, pixel 1 = index
 * high byte, pixel 2 = 0 for training / 255 for test images; the rest is seeded noise.
 */
function indexedSet(nTrain: number, nTest: number, opts: { flipSafe?: boolean; size?: number } = {}): RawImageSet {
  const S = opts.size ?? 8;
  const px = S * S;
  const rng = new Rng(9, 'indexed');
  const mk = (n: number, test: boolean) => {
    const x = new Uint8Array(n * px);
    for (let i = 0; i < n; i++) {
      for (let p = 3; p < px; p++) x[i * px + p] = rng.int(256);
      x[i * px] = i & 255;
      x[i * px + 1] = i >> 8;
      x[i * px + 2] = test ? 255 : 0;
    }
    return { n, x, y: Uint8Array.from({ length: n }, (_, i) => (i * 7) % 10) };
  };
  return {
    id: 'indexed',
    name: 'Indexed test set',
    height: S,
    width: S,
    channels: 1,
    numClasses: 10,
    classNames: Array.from({ length: 10 }, (_, c) => `c${c}`),
    train: mk(nTrain, false),
    test: mk(nTest, true),
    source: 'unit test',
    license: 'CC0',
    flipSafe: opts.flipSafe ?? false,
  };
}

const opts8 = { height: 8, width: 8, channels: 1, seed: 2 };

/** Back to uint8 pixels of image i of a batch (1 channel). */
function pixels(d: ImageDataset, b: Batch, i: number): number[] {
  const size = d.height * d.width * d.channels;
  return Array.from(b.x.subarray(i * size, (i + 1) * size), (v) => Math.round((v * d.std[0] + d.mean[0]) * 255));
}
/** The identity of image i of an un-augmented batch: 'train:17' or 'test:3'. */
function ident(d: ImageDataset, b: Batch, i: number): string {
  const p = pixels(d, b, i);
  return `${p[2] === 255 ? 'test' : 'train'}:${p[0] + 256 * p[1]}`;
}
const idents = (d: ImageDataset, b: Batch) => Array.from({ length: b.n }, (_, i) => ident(d, b, i));

describe('ImageDataset on a synthetic indexed set', () => {
  it('has the DataSource API and the spec §3.2 split sizes', () => {
    const d = new ImageDataset(indexedSet(100, 30), opts8);
    expect([d.name, d.displayName, d.height, d.width, d.channels, d.numClasses]).toEqual(['indexed', 'Indexed test set', 8, 8, 1, 10]);
    expect([d.trainSetSize, d.weightSetSize, d.archSetSize, d.testSize]).toEqual([100, 50, 50, 30]);
    expect(d.classNames).toHaveLength(10);
    expect(new ImageDataset(indexedSet(100, 30), { ...opts8, trainPortion: 0.75 }).weightSetSize).toBe(75);
    const s = new ImageDataset(indexedSet(100, 30), { ...opts8, trainSize: 40, testSize: 7 });
    expect([s.trainSetSize, s.weightSetSize, s.archSetSize, s.testSize]).toEqual([40, 20, 20, 7]);
    expect(d.stepsPerEpoch(16)).toBe(4);
    expect(d.trainStepsPerEpoch(16)).toBe(7);
  });

  it('weight epochs permute the first half, arch batches come fresh from the second, test is held out', () => {
    const d = new ImageDataset(indexedSet(60, 12), opts8); // halves 0..29, 30..59
    const epoch = () => {
      const got: string[] = [];
      while (got.length < 30) got.push(...idents(d, d.nextWeightBatch(8))); // 8, 8, 8, 6
      return got;
    };
    const e0 = epoch();
    expect(new Set(e0)).toEqual(new Set(Array.from({ length: 30 }, (_, i) => `train:${i}`)));
    expect(e0).toHaveLength(30);
    expect(d.epoch).toBe(0);
    const e1 = epoch();
    expect(d.epoch).toBe(1);
    expect(new Set(e1)).toEqual(new Set(e0));
    expect(e1).not.toEqual(e0);

    const seen = new Set<string>();
    let prev: string[] = [];
    for (let k = 0; k < 30; k++) {
      const a = idents(d, d.randomArchBatch(10));
      expect(new Set(a).size).toBe(10); // without replacement within a batch
      for (const s of a) {
        const i = Number(s.split(':')[1]);
        expect(s.startsWith('train:') && i >= 30 && i < 60).toBe(true);
        seen.add(s);
      }
      expect(a).not.toEqual(prev); // fresh every call
      prev = a;
    }
    expect(seen.size).toBe(30); // eventually covers the whole arch half
    expect(d.randomArchBatch(100).n).toBe(30);

    const test = d.testBatches(5).flatMap((b) => idents(d, b));
    expect(test).toEqual(Array.from({ length: 12 }, (_, i) => `test:${i}`)); // in order, batches 5 5 2
  });

  it('nextTrainBatch walks all training images (both halves) each epoch; trainSize keeps the first N', () => {
    const d = new ImageDataset(indexedSet(60, 12), { ...opts8, trainSize: 45 });
    const got: string[] = [];
    while (got.length < 45) got.push(...idents(d, d.nextTrainBatch(16)));
    expect(new Set(got)).toEqual(new Set(Array.from({ length: 45 }, (_, i) => `train:${i}`)));
    expect(d.trainEpoch).toBe(0);
    d.nextTrainBatch(16);
    expect(d.trainEpoch).toBe(1);
    expect(d.epoch).toBe(0); // a separate stream from the weight batches
  });

  it('labels travel with their images', () => {
    const d = new ImageDataset(indexedSet(60, 12), opts8);
    for (const b of [d.nextWeightBatch(20), d.randomArchBatch(20), d.nextTrainBatch(20), ...d.testBatches(6)]) {
      for (let i = 0; i < b.n; i++) expect(b.y[i]).toBe((Number(ident(d, b, i).split(':')[1]) * 7) % 10);
    }
  });

  it('is seeded: same seed, same batches; another seed, other batches', () => {
    const raw = indexedSet(80, 10);
    const a = new ImageDataset(raw, opts8);
    const b = new ImageDataset(raw, opts8);
    const c = new ImageDataset(raw, { ...opts8, seed: 3 });
    const wa = a.nextWeightBatch(16);
    expect(b.nextWeightBatch(16)).toEqual(wa);
    expect(c.nextWeightBatch(16).x).not.toEqual(wa.x);
    const aa = a.randomArchBatch(16);
    expect(b.randomArchBatch(16)).toEqual(aa);
    expect(c.randomArchBatch(16).x).not.toEqual(aa.x);
    expect(a.nextTrainBatch(16)).toEqual(b.nextTrainBatch(16));
    expect(a.testBatches(7)).toEqual(c.testBatches(7)); // the test set does not depend on the seed
  });

  it('getRngState/setRngState continue with the same batches, augmented ones included', () => {
    for (const augment of [false, true]) {
      const raw = indexedSet(64, 10, { flipSafe: true });
      const a = new ImageDataset(raw, { ...opts8, augment });
      for (let i = 0; i < 5; i++) a.nextWeightBatch(10); // crosses an epoch boundary (32 weight images)
      a.randomArchBatch(10);
      const state = a.getRngState();
      expect(state).toHaveLength(10);
      const next = [a.nextWeightBatch(10), a.randomArchBatch(10), a.nextWeightBatch(10)];
      const b = new ImageDataset(raw, { ...opts8, augment });
      b.setRngState(state);
      expect(b.epoch).toBe(a.epoch);
      expect([b.nextWeightBatch(10), b.randomArchBatch(10), b.nextWeightBatch(10)]).toEqual(next);
      a.nextTrainBatch(10);
      const ts = a.getTrainRngState();
      b.setTrainRngState(ts);
      expect(b.nextTrainBatch(10)).toEqual(a.nextTrainBatch(10));
    }
    const d = new ImageDataset(indexedSet(64, 10), opts8);
    expect(() => d.setRngState([1, 2, 3])).toThrow(/10 numbers/);
    expect(() => d.setRngState([1, 2, 3, 4, 33, 0, 1, 2, 3, 4])).toThrow(/outside the weight half/);
  });

  it('augmentation: random shifts with black padding, flips only when flip-safe, never on test batches', () => {
    const S = 16;
    const pad = cropPadding(S);
    expect(pad).toBe(2);
    expect([cropPadding(32), cropPadding(28), cropPadding(4), cropPadding(2)]).toEqual([4, 4, 1, 1]);
    for (const flipSafe of [false, true]) {
      const raw = indexedSet(40, 10, { flipSafe, size: S });
      const plain = new ImageDataset(raw, { ...opts8, height: S, width: S });
      const aug = new ImageDataset(raw, { ...opts8, height: S, width: S, augment: true });
      expect(aug.testBatches(4)).toEqual(plain.testBatches(4));
      const pb = plain.nextTrainBatch(40);
      const ab = aug.nextTrainBatch(40); // same permutation (augmentation has its own stream)
      expect(ab.y).toEqual(pb.y);
      expect(ab.x.length).toBe(pb.x.length);
      let shifted = 0;
      let flipped = 0;
      for (let i = 0; i < 40; i++) {
        const src = pixels(plain, pb, i);
        const out = pixels(aug, ab, i);
        // Find the (dy, dx, flip) that explains the output exactly.
        let found: { dy: number; dx: number; flip: boolean } | undefined;
        for (const flip of [false, true])
          for (let dy = -pad; dy <= pad && !found; dy++)
            for (let dx = -pad; dx <= pad && !found; dx++) {
              let ok = true;
              for (let y = 0; y < S && ok; y++)
                for (let x = 0; x < S && ok; x++) {
                  const sy = y + dy;
                  const sx = (flip ? S - 1 - x : x) + dx;
                  const want = sy < 0 || sy >= S || sx < 0 || sx >= S ? 0 : src[sy * S + sx];
                  ok = out[y * S + x] === want;
                }
              if (ok) found = { dy, dx, flip };
            }
        expect(found).toBeDefined();
        if (found!.dy !== 0 || found!.dx !== 0) shifted++;
        if (found!.flip) flipped++;
      }
      expect(shifted).toBeGreaterThan(20); // 24 of 25 offsets are shifts
      if (flipSafe) expect(flipped).toBeGreaterThan(8);
      else expect(flipped).toBe(0);
    }
  });

  it('normalises with the statistics of the used training images', () => {
    const d = new ImageDataset(indexedSet(100, 20), opts8);
    const all = d.nextTrainBatch(100);
    const m = all.x.reduce((s, v) => s + v, 0) / all.x.length;
    const sd = Math.sqrt(all.x.reduce((s, v) => s + (v - m) ** 2, 0) / all.x.length);
    expect(Math.abs(m)).toBeLessThan(1e-4);
    expect(Math.abs(sd - 1)).toBeLessThan(1e-4);
    expect(d.mean[0]).toBeGreaterThan(0.4); // noise in 0..255 → about 0.5 on the 0..1 scale
    expect(d.mean[0]).toBeLessThan(0.6);
  });

  it('rejects bad options', () => {
    const raw = indexedSet(10, 2);
    expect(() => new ImageDataset(raw, { ...opts8, trainPortion: 1 })).toThrow(/trainPortion/);
    expect(() => new ImageDataset(raw, { ...opts8, trainSize: 1 })).toThrow(/empty half/);
    expect(() => new ImageDataset(raw, { ...opts8, height: 0 })).toThrow(/height/);
    expect(() => new ImageDataset(raw, opts8).nextWeightBatch(0)).toThrow(RangeError);
  });
});

describe('ImageDataset on the real MNIST data', () => {
  let mnist: RawImageSet;
  beforeAll(() => {
    execFileSync(process.execPath, [join(process.cwd(), 'scripts', 'build-data.mjs')], { stdio: 'pipe' });
    mnist = loadBuiltinNode('mnist');
  });

  it('at 28×28 normalises with the classic MNIST statistics', () => {
    const d = new ImageDataset(mnist, { height: 28, width: 28, channels: 1, seed: 2 });
    expect([d.trainSetSize, d.weightSetSize, d.archSetSize, d.testSize]).toEqual([8004, 4002, 4002, 1996]);
    expect(d.mean[0]).toBeCloseTo(0.1307, 1.5); // torchvision: 0.1307 / 0.3081 on the full set
    expect(d.std[0]).toBeCloseTo(0.3081, 1.5);
    const b = d.nextWeightBatch(64);
    expect(b.x.length).toBe(64 * 784);
    expect(Math.min(...b.x)).toBeCloseTo(-d.mean[0] / d.std[0], 5); // black background
  });

  it('resizes to 16×16 (and 3 channels) with a quick subset', () => {
    const d = new ImageDataset(mnist, { height: 16, width: 16, channels: 1, seed: 2, trainSize: 1000, testSize: 200 });
    expect([d.trainSetSize, d.weightSetSize, d.testSize]).toEqual([1000, 500, 200]);
    const w = d.nextWeightBatch(32);
    expect(w.x.length).toBe(32 * 256);
    expect(d.randomArchBatch(32).x.length).toBe(32 * 256);
    const t = d.testBatches(64);
    expect(t.map((b) => b.n)).toEqual([64, 64, 64, 8]);
    expect(Array.from(t[0].y)).toEqual(Array.from(mnist.test.y.subarray(0, 64)));
    // Area averaging keeps the mean brightness: the 16×16 mean ≈ the 28×28 mean of the same images.
    const full = new ImageDataset(mnist, { height: 28, width: 28, channels: 1, seed: 2, trainSize: 1000 });
    expect(Math.abs(d.mean[0] - full.mean[0])).toBeLessThan(0.005);
    const rgb = new ImageDataset(mnist, { height: 16, width: 16, channels: 3, seed: 2, trainSize: 200, testSize: 10 });
    const rb = rgb.nextWeightBatch(4);
    expect(rb.x.length).toBe(4 * 16 * 16 * 3);
    expect(rb.x[300]).toBe(rb.x[301]); // grey replicated to R, G, B
    expect(rgb.mean).toHaveLength(3);
  });

  it('augmented MNIST batches keep shapes and labels, MNIST is not flip-safe, test batches are untouched', () => {
    const plain = new ImageDataset(mnist, { height: 16, width: 16, channels: 1, seed: 5, trainSize: 400, testSize: 50 });
    const aug = new ImageDataset(mnist, { height: 16, width: 16, channels: 1, seed: 5, trainSize: 400, testSize: 50, augment: true });
    expect(aug.flipSafe).toBe(false);
    expect(aug.testBatches(50)).toEqual(plain.testBatches(50));
    const a = aug.nextWeightBatch(32);
    const p = plain.nextWeightBatch(32);
    expect(a.y).toEqual(p.y);
    expect(a.x.length).toBe(p.x.length);
    expect(a.x).not.toEqual(p.x);
  });
});

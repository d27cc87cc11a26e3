import { describe, expect, it } from 'vitest';
import { SyntheticDataset, syntheticClassNames, syntheticForConfig } from './synthetic';

const small = { height: 16, width: 16, channels: 1, numClasses: 10, seed: 2, trainSize: 400, testSize: 100 };

const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
const std = (a: Float32Array) => {
  const m = mean(a);
  return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length);
};

describe('SyntheticDataset', () => {
  it('has the DataSource shape and spec §3.2 split sizes', () => {
    const d = new SyntheticDataset(small);
    expect(d.name).toBe('synthetic');
    expect([d.height, d.width, d.channels, d.numClasses]).toEqual([16, 16, 1, 10]);
    expect(d.weightSetSize).toBe(200);
    expect(d.archSetSize).toBe(200);
    const b = d.nextWeightBatch(32);
    expect(b.n).toBe(32);
    expect(b.x.length).toBe(32 * 16 * 16);
    expect(b.y.length).toBe(32);
    const a = d.randomArchBatch(32);
    expect(a.x.length).toBe(32 * 16 * 16);
    for (const y of [...b.y, ...a.y]) expect(y >= 0 && y < 10).toBe(true);
    expect(new SyntheticDataset({ ...small, trainPortion: 0.75 }).weightSetSize).toBe(300);
  });

  it('supports RGB and odd shapes', () => {
    const d = new SyntheticDataset({ ...small, height: 12, width: 20, channels: 3, numClasses: 3 });
    const b = d.nextWeightBatch(5);
    expect(b.x.length).toBe(5 * 12 * 20 * 3);
    expect(syntheticClassNames(3)).toEqual(['stripes 0°', 'checker size 1', 'blob at 0°']);
  });

  it('normalises pixels to mean 0, std 1 per channel (train set)', () => {
    const d = new SyntheticDataset({ ...small, channels: 3 });
    const all = d.nextWeightBatch(200);
    for (let c = 0; c < 3; c++) {
      const ch = all.x.filter((_, i) => i % 3 === c);
      expect(Math.abs(mean(ch))).toBeLessThan(0.1);
      expect(Math.abs(std(ch) - 1)).toBeLessThan(0.1);
    }
  });

  it('labels are roughly balanced', () => {
    const d = new SyntheticDataset({ ...small, trainSize: 1000 });
    const hist = new Array(10).fill(0);
    const wb = d.nextWeightBatch(500);
    for (const y of wb.y) hist[y]++;
    for (let i = 0; i < 10; i++) for (const y of d.randomArchBatch(50).y) hist[y]++;
    for (const h of hist) expect(h).toBeGreaterThan(60);
    const test = d.testBatches(100).flatMap((b) => Array.from(b.y));
    expect(new Set(test).size).toBe(10);
  });

  it('weight batches walk a permutation of the weight half each epoch; arch batches come from the other half', () => {
    const d = new SyntheticDataset({ ...small, trainSize: 40, testSize: 8, height: 4, width: 4 });
    const key = (x: Float32Array, i: number) => Array.from(x.subarray(i * 16, (i + 1) * 16)).join(',');
    const epoch = (bs: number) => {
      const keys: string[] = [];
      let seen = 0;
      while (seen < 20) {
        const b = d.nextWeightBatch(bs);
        for (let i = 0; i < b.n; i++) keys.push(key(b.x, i));
        seen += b.n;
      }
      return keys;
    };
    const e0 = epoch(6); // batches 6, 6, 6, 2: the last one is partial
    expect(e0).toHaveLength(20);
    expect(new Set(e0).size).toBe(20);
    expect(d.epoch).toBe(0);
    const e1 = epoch(6);
    expect(d.epoch).toBe(1);
    expect(new Set(e1)).toEqual(new Set(e0));
    expect(e1).not.toEqual(e0); // a fresh permutation
    expect(d.stepsPerEpoch(6)).toBe(4);
    const weightKeys = new Set(e0);
    for (let k = 0; k < 20; k++) {
      const a = d.randomArchBatch(8);
      const ks = Array.from({ length: a.n }, (_, i) => key(a.x, i));
      expect(new Set(ks).size).toBe(8); // without replacement within a batch
      for (const s of ks) expect(weightKeys.has(s)).toBe(false); // disjoint halves
    }
    expect(d.randomArchBatch(100).n).toBe(20); // capped at the half's size
    const testKeys = d.testBatches(3).flatMap((b) => Array.from({ length: b.n }, (_, i) => key(b.x, i)));
    expect(testKeys).toHaveLength(8);
    for (const s of testKeys) expect(weightKeys.has(s)).toBe(false);
  });

  it('is deterministic for a seed and differs for another seed', () => {
    const a = new SyntheticDataset(small);
    const b = new SyntheticDataset(small);
    const c = new SyntheticDataset({ ...small, seed: 3 });
    const ba = a.nextWeightBatch(16);
    expect(b.nextWeightBatch(16)).toEqual(ba);
    expect(c.nextWeightBatch(16).x).not.toEqual(ba.x);
    expect(a.randomArchBatch(16)).toEqual(b.randomArchBatch(16));
    expect(a.testBatches(50)).toEqual(b.testBatches(50));
  });

  it('getRngState/setRngState continue with exactly the same batches', () => {
    const a = new SyntheticDataset(small);
    for (let i = 0; i < 9; i++) a.nextWeightBatch(32); // crosses an epoch boundary
    a.randomArchBatch(32);
    const state = a.getRngState();
    const next = [a.nextWeightBatch(32), a.randomArchBatch(32), a.nextWeightBatch(32)];
    const b = new SyntheticDataset(small);
    b.setRngState(state);
    expect(b.epoch).toBe(a.epoch);
    expect([b.nextWeightBatch(32), b.randomArchBatch(32), b.nextWeightBatch(32)]).toEqual(next);
    expect(() => b.setRngState([1, 2, 3])).toThrow(RangeError);
  });

  it('is learnable: a nearest-class-mean classifier beats chance clearly', () => {
    const d = new SyntheticDataset({ ...small, trainSize: 1000 });
    const size = 16 * 16;
    const train = d.nextWeightBatch(500);
    const sums = Array.from({ length: 10 }, () => new Float64Array(size));
    const counts = new Array(10).fill(0);
    for (let i = 0; i < train.n; i++) {
      counts[train.y[i]]++;
      for (let p = 0; p < size; p++) sums[train.y[i]][p] += train.x[i * size + p];
    }
    let correct = 0;
    let total = 0;
    for (const b of d.testBatches(100)) {
      for (let i = 0; i < b.n; i++) {
        let best = -1;
        let bestD = Infinity;
        for (let c = 0; c < 10; c++) {
          let dist = 0;
          for (let p = 0; p < size; p++) dist += (b.x[i * size + p] - sums[c][p] / counts[c]) ** 2;
          if (dist < bestD) {
            bestD = dist;
            best = c;
          }
        }
        correct += best === b.y[i] ? 1 : 0;
        total++;
      }
    }
    // Phases are random, so a template matcher only catches the blob classes and some others:
    // above chance (10%), far from perfect (the task needs a CNN).
    expect(correct / total).toBeGreaterThan(0.2);
    expect(correct / total).toBeLessThan(0.9);
  });

  it('rejects bad options and batch sizes', () => {
    expect(() => new SyntheticDataset({ ...small, numClasses: 1 })).toThrow(/numClasses/);
    expect(() => new SyntheticDataset({ ...small, trainPortion: 1 })).toThrow(/trainPortion/);
    expect(() => new SyntheticDataset({ ...small, trainSize: 1 })).toThrow(/empty half/);
    expect(() => new SyntheticDataset(small).nextWeightBatch(0)).toThrow(RangeError);
  });

  it('syntheticForConfig uses the config shape, seed and trainPortion', () => {
    const d = syntheticForConfig({ height: 8, width: 8, inChannels: 3, numClasses: 4, seed: 1, trainPortion: 0.25 }, { trainSize: 100, testSize: 10 });
    expect([d.height, d.channels, d.numClasses, d.weightSetSize, d.testSize]).toEqual([8, 3, 4, 25, 10]);
  });
});

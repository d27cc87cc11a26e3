import { describe, expect, it } from 'vitest';
import { CIFAR10_CLASS_NAMES, CIFAR10_LICENSE, CIFAR10_SOURCE, parseCifarBatches } from './cifarBinary';
import { UserDataError } from './errors';

const REC = 3073;
const T32 = { height: 32, width: 32, channels: 3 };

/** One CIFAR record: label byte, then R, G, B planes of 32×32, row-major; pixel(c, y, x) gives the value. */
function record(label: number, pixel: (c: number, y: number, x: number) => number): Uint8Array {
  const r = new Uint8Array(REC);
  r[0] = label;
  for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) r[1 + c * 1024 + y * 32 + x] = pixel(c, y, x);
  return r;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const pattern = (k: number) => (c: number, y: number, x: number) => (c * 71 + y * 7 + x * 3 + k * 13) % 256;
/** Records whose first red pixel is a unique marker k, so each can be traced through a split. */
const marked = (labels: number[], offset = 0) =>
  concat(labels.map((l, i) => record(l, (c, y, x) => (c === 0 && y === 0 && x === 0 ? offset + i : pattern(offset + i)(c, y, x)))));

describe('parseCifarBatches', () => {
  it('reads labels and converts CHW planes to HWC exactly', () => {
    const labels = [3, 0, 9, 1, 7];
    const train = concat(labels.map((l, k) => record(l, pattern(k))));
    const test = concat([record(5, pattern(10)), record(8, pattern(11))]);
    const { set, problems, note } = parseCifarBatches(
      [
        { name: 'test_batch.bin', bytes: test },
        { name: 'cifar-10-batches-bin/data_batch_1.bin', bytes: train },
      ],
      T32,
    );
    expect(problems).toEqual([]);
    expect(note).toBeUndefined();
    expect(set.train.n).toBe(5);
    expect(Array.from(set.train.y)).toEqual(labels);
    expect(set.test.n).toBe(2);
    expect(Array.from(set.test.y)).toEqual([5, 8]);
    const expectHwc = (x: Uint8Array, n: number, ks: number[]) => {
      expect(x.length).toBe(n * 3072);
      const want = new Uint8Array(n * 3072);
      ks.forEach((k, i) => {
        for (let y = 0; y < 32; y++) for (let xx = 0; xx < 32; xx++) for (let c = 0; c < 3; c++) want[i * 3072 + (y * 32 + xx) * 3 + c] = pattern(k)(c, y, xx);
      });
      expect(Buffer.from(x).equals(Buffer.from(want))).toBe(true);
    };
    expectHwc(set.train.x, 5, [0, 1, 2, 3, 4]);
    expectHwc(set.test.x, 2, [10, 11]);
    // Spot-check one byte by hand: record 1 (k=1), pixel (y=2, x=5), green: (71 + 14 + 15 + 13) % 256 = 113.
    expect(set.train.x[1 * 3072 + (2 * 32 + 5) * 3 + 1]).toBe(113);
    expect(set).toMatchObject({
      id: 'cifar10-upload',
      height: 32,
      width: 32,
      channels: 3,
      numClasses: 10,
      classNames: [...CIFAR10_CLASS_NAMES],
      source: CIFAR10_SOURCE,
      license: CIFAR10_LICENSE,
      flipSafe: true,
    });
    expect(set.classNames[0]).toBe('airplane');
    expect(set.classNames[9]).toBe('truck');
  });

  it('resizes to 16×16 (area average) and converts to grey', () => {
    // R = 8·x (horizontal ramp), G = 200, B = 77.
    const bytes = concat([record(2, (c, _y, x) => (c === 0 ? 8 * x : c === 1 ? 200 : 77)), record(4, () => 0)]);
    const { set } = parseCifarBatches(
      [
        { name: 'data_batch_1.bin', bytes },
        { name: 'test_batch.bin', bytes: record(1, () => 255) },
      ],
      { height: 16, width: 16, channels: 3 },
    );
    expect(set.train.x.length).toBe(2 * 16 * 16 * 3);
    for (let oy = 0; oy < 16; oy++) {
      for (let ox = 0; ox < 16; ox++) {
        const o = (oy * 16 + ox) * 3;
        // mean of 8·(2ox) and 8·(2ox+1) = 16·ox + 4
        expect([set.train.x[o], set.train.x[o + 1], set.train.x[o + 2]]).toEqual([16 * ox + 4, 200, 77]);
      }
    }
    expect(set.train.x.subarray(768).every((v) => v === 0)).toBe(true);
    expect(set.test.x.every((v) => v === 255)).toBe(true);

    const grey = parseCifarBatches(
      [
        { name: 'data_batch_1.bin', bytes: record(0, (c) => [10, 200, 77][c]) },
        { name: 'test_batch.bin', bytes: record(1, () => 0) },
      ],
      { height: 8, width: 8, channels: 1 },
    ).set;
    expect(grey.channels).toBe(1);
    // round(0.299·10 + 0.587·200 + 0.114·77) = round(129.168) = 129
    expect(Array.from(grey.train.x)).toEqual(new Array(64).fill(129));
  });

  it('reports a file of the wrong length and uses the good ones', () => {
    const good = concat([record(1, () => 1), record(2, () => 2)]);
    const { set, problems } = parseCifarBatches(
      [
        { name: 'data_batch_1.bin', bytes: new Uint8Array(30_730_001) },
        { name: 'data_batch_2.bin', bytes: good },
        { name: 'test_batch.bin', bytes: record(3, () => 3) },
      ],
      T32,
    );
    expect(problems).toEqual([
      {
        file: 'data_batch_1.bin',
        problem:
          '30,730,001 bytes is not a multiple of 3,073 (one CIFAR-10 record = 1 label byte + 3,072 pixel bytes). Is it a CIFAR-10 *binary* batch (not the Python pickle version)?',
      },
    ]);
    expect(set.train.n).toBe(2);
    expect(Array.from(set.train.y)).toEqual([1, 2]);
  });

  it('recognises CIFAR-100, pickles and compressed archives', () => {
    const { problems } = parseCifarBatches(
      [
        { name: 'train.bin', bytes: new Uint8Array(3074 * 2) },
        { name: 'data_batch_1', bytes: Uint8Array.from([0x80, 0x02, 0x7d]) },
        { name: 'cifar-10-binary.tar.gz', bytes: Uint8Array.from([0x1f, 0x8b, 8, 0]) },
        { name: 'batches.meta.txt', bytes: new Uint8Array(10) }, // companion file: silently skipped
        { name: '.DS_Store', bytes: new Uint8Array(10) },
        { name: 'test_batch.bin', bytes: concat([record(0, () => 0), record(1, () => 1)]) },
      ],
      T32,
    );
    expect(problems.map((p) => p.file)).toEqual(['train.bin', 'data_batch_1', 'cifar-10-binary.tar.gz']);
    expect(problems[0].problem).toContain('6,148 bytes is not a multiple of 3,073');
    expect(problems[0].problem).toContain('CIFAR-100');
    expect(problems[1].problem).toContain('Python (pickle) version');
    expect(problems[2].problem).toContain('extract it first');
  });

  it('reports labels above 9 for that file only', () => {
    const bad = concat([record(4, () => 0), record(10, () => 0), record(200, () => 0)]);
    const { set, problems } = parseCifarBatches(
      [
        { name: 'data_batch_1.bin', bytes: bad },
        { name: 'data_batch_2.bin', bytes: record(6, () => 9) },
        { name: 'test_batch.bin', bytes: record(7, () => 9) },
      ],
      T32,
    );
    expect(problems).toEqual([
      {
        file: 'data_batch_1.bin',
        problem: 'record 2 of 3 has label 10 (and 1 more record), but CIFAR-10 labels are 0–9. Is it a CIFAR-10 binary batch?',
      },
    ]);
    expect(Array.from(set.train.y)).toEqual([6]);
  });

  it('orders training batches naturally (2 before 10)', () => {
    const { set } = parseCifarBatches(
      [
        { name: 'data_batch_10.bin', bytes: record(0, () => 10) },
        { name: 'data_batch_2.bin', bytes: record(0, () => 2) },
        { name: 'data_batch_1.bin', bytes: record(0, () => 1) },
        { name: 'test_batch.bin', bytes: record(0, () => 0) },
      ],
      T32,
    );
    expect([set.train.x[0], set.train.x[3072], set.train.x[2 * 3072]]).toEqual([1, 2, 10]);
  });

  it('holds out a deterministic sixth when no test file is given', () => {
    const labels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1];
    const files = [
      { name: 'data_batch_1.bin', bytes: marked(labels.slice(0, 7)) },
      { name: 'data_batch_2.bin', bytes: marked(labels.slice(7), 7) },
    ];
    const a = parseCifarBatches(files, T32);
    const b = parseCifarBatches(files, T32);
    expect(a.problems).toEqual([]);
    expect(a.set.test.n).toBe(2);
    expect(a.set.train.n).toBe(10);
    expect(a.note).toBe(
      'No test_batch.bin was given: 2 of the 12 training records (1/6, chosen with a fixed seed) are held out as the test set.',
    );
    expect(Buffer.from(a.set.test.x).equals(Buffer.from(b.set.test.x))).toBe(true);
    expect(Array.from(a.set.train.y)).toEqual(Array.from(b.set.train.y));
    // Every record lands in exactly one split, with its own label and pixels.
    const markers = (x: Uint8Array, n: number) => Array.from({ length: n }, (_, i) => x[i * 3072]);
    const trainM = markers(a.set.train.x, 10);
    const testM = markers(a.set.test.x, 2);
    expect([...trainM, ...testM].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    trainM.forEach((m, i) => expect(a.set.train.y[i]).toBe(labels[m]));
    testM.forEach((m, i) => expect(a.set.test.y[i]).toBe(labels[m]));
    // Training keeps file order.
    expect(trainM).toEqual([...trainM].sort((p, q) => p - q));
    // pixel (0,0,1) of the marked record k is pattern(k)
    expect(a.set.test.x[1]).toBe(pattern(testM[0])(1, 0, 0));
  });

  it('splits test_batch alone when no data_batch is given', () => {
    const { set, note } = parseCifarBatches([{ name: 'test_batch.bin', bytes: marked([1, 2, 3, 4, 5, 6]) }], T32);
    expect(set.train.n).toBe(5);
    expect(set.test.n).toBe(1);
    expect(note).toContain('No data_batch file was given');
  });

  it('throws UserDataError naming every file when nothing is usable', () => {
    const files = [
      { name: 'data_batch_1.bin', bytes: new Uint8Array(100) },
      { name: 'data_batch_2.bin', bytes: record(11, () => 0) },
      { name: 'notes.txt', bytes: new Uint8Array(5) },
      { name: 'test_batch.bin', bytes: new Uint8Array(0) },
    ];
    let err: unknown;
    try {
      parseCifarBatches(files, T32);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserDataError);
    const ude = err as UserDataError;
    expect(ude.problems.map((p) => p.file)).toEqual(['data_batch_1.bin', 'data_batch_2.bin', 'notes.txt', 'test_batch.bin']);
    for (const f of files) expect(ude.message).toContain(`${f.name}: `);
    expect(ude.problems[3].problem).toBe('the file is empty (0 bytes).');
    expect(() => parseCifarBatches([], T32)).toThrow(UserDataError);
    expect(() => parseCifarBatches([{ name: 'data_batch_1.bin', bytes: record(1, () => 0) }], T32)).toThrow(/not enough/);
  });

  it('reports progress', () => {
    const seen: number[] = [];
    parseCifarBatches([{ name: 'data_batch_1.bin', bytes: marked([1, 2, 3]) }, { name: 'test_batch.bin', bytes: marked([4]) }], T32, {
      onProgress: (p) => {
        expect(p.phase).toBe('parse');
        expect(p.total).toBe(4);
        seen.push(p.loaded);
      },
    });
    expect(seen[seen.length - 1]).toBe(4);
  });
});

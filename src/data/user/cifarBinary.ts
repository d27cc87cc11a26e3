/**
 * CIFAR-10 *binary* batches dropped by the user (data_batch_1.bin … data_batch_5.bin,
 * test_batch.bin from cifar-10-binary.tar.gz). Nothing is uploaded: the bytes are parsed here.
 *
 * Format (https://www.cs.toronto.edu/~kriz/cifar.html): a file is a sequence of 3,073-byte
 * records, normally 10,000 of them. Each record is 1 label byte (0–9) then 3,072 pixel bytes:
 * the 1,024 red values of the 32×32 image row-major, then the 1,024 green, then the 1,024 blue
 * (CHW planes). The playground stores NHWC, so each record is interleaved to HWC and then
 * converted/resized to the target shape with `resizeStack` (area averaging).
 */
import { Rng } from '../../core/rng';
import { resizeStack } from '../resize';
import type { LoadProgress, RawImageSet } from '../types';
import { UserDataError, baseName, groupDigits, isIgnoredPath, type UserFileProblem } from './errors';
import { checkTarget, type TargetShape } from './target';

export const CIFAR10_CLASS_NAMES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

export const CIFAR_SIDE = 32;
export const CIFAR_PIXEL_BYTES = CIFAR_SIDE * CIFAR_SIDE * 3; // 3,072
export const CIFAR_RECORD_BYTES = 1 + CIFAR_PIXEL_BYTES; // 3,073

export const CIFAR10_SOURCE = 'CIFAR-10 (Krizhevsky 2009), loaded from your files; nothing leaves this browser';
export const CIFAR10_LICENSE = 'CIFAR-10: see https://www.cs.toronto.edu/~kriz/cifar.html';

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export interface CifarParseOptions {
  /** Seed of the hold-out split used when no test_batch file is given (default 0). */
  seed?: number;
  onProgress?: (p: LoadProgress) => void;
}

export interface CifarParseResult {
  set: RawImageSet;
  /** Files that were skipped, and why. */
  problems: UserFileProblem[];
  /** Set when the test split had to be held out of the training records (no test_batch file). */
  note?: string;
}

/** Companion files of the official archive, skipped without complaint. */
const COMPANIONS = new Set(['batches.meta.txt', 'readme.html']);

/** Natural order: data_batch_2 before data_batch_10. */
function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    const nx = /^\d/.test(x) ? Number(x) : NaN;
    const ny = /^\d/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny) && nx !== ny) return nx - ny;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** Why a file is not a usable CIFAR-10 batch, or null when its bytes are fine. */
function checkBatch(bytes: Uint8Array): string | null {
  const len = bytes.length;
  if (len === 0) return 'the file is empty (0 bytes).';
  if (len % CIFAR_RECORD_BYTES !== 0) {
    const head = `${groupDigits(len)} bytes is not a multiple of ${groupDigits(CIFAR_RECORD_BYTES)} (one CIFAR-10 record = 1 label byte + ${groupDigits(CIFAR_PIXEL_BYTES)} pixel bytes).`;
    if (len % (CIFAR_RECORD_BYTES + 1) === 0) {
      return `${head} It looks like a CIFAR-100 binary file (2 label bytes per record), which is not supported.`;
    }
    if (bytes[0] === 0x80 && len > 1 && bytes[1] <= 5) {
      return `${head} It looks like a Python pickle: use the CIFAR-10 *binary* version (cifar-10-binary.tar.gz).`;
    }
    return `${head} Is it a CIFAR-10 *binary* batch (not the Python pickle version)?`;
  }
  const n = len / CIFAR_RECORD_BYTES;
  let bad = 0;
  let first = -1;
  let firstLabel = 0;
  for (let r = 0; r < n; r++) {
    const label = bytes[r * CIFAR_RECORD_BYTES];
    if (label > 9) {
      if (first < 0) {
        first = r;
        firstLabel = label;
      }
      bad++;
    }
  }
  if (bad > 0) {
    const others = bad > 1 ? ` (and ${groupDigits(bad - 1)} more ${bad - 1 === 1 ? 'record' : 'records'})` : '';
    return `record ${groupDigits(first + 1)} of ${groupDigits(n)} has label ${firstLabel}${others}, but CIFAR-10 labels are 0–9. Is it a CIFAR-10 binary batch?`;
  }
  return null;
}

/** Why a file name is not a CIFAR-10 binary batch, or null for *.bin. */
function checkName(name: string, bytes: Uint8Array): string | null {
  const base = baseName(name).toLowerCase();
  if (base.endsWith('.bin')) return null;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    return 'a compressed archive (.tar.gz): extract it first and drop the .bin files from cifar-10-batches-bin/.';
  }
  if (/^(data|test)_batch(_\d+)?$/.test(base)) {
    return 'this is the Python (pickle) version of CIFAR-10; download the binary version (cifar-10-binary.tar.gz) and drop its .bin files.';
  }
  return 'not a CIFAR-10 binary batch (expected data_batch_N.bin or test_batch.bin).';
}

interface Pool {
  files: Uint8Array[];
  /** Records in each file. */
  counts: number[];
  total: number;
}

function makePool(files: NamedBytes[]): Pool {
  const counts = files.map((f) => f.bytes.length / CIFAR_RECORD_BYTES);
  return { files: files.map((f) => f.bytes), counts, total: counts.reduce((s, c) => s + c, 0) };
}

/** Calls fn(fileBytes, recordIndex, poolIndex) for every record of the pool, in order. */
function forEachRecord(pool: Pool, fn: (bytes: Uint8Array, r: number, i: number) => void): void {
  let i = 0;
  pool.files.forEach((bytes, f) => {
    for (let r = 0; r < pool.counts[f]; r++) fn(bytes, r, i++);
  });
}

/**
 * Parse CIFAR-10 binary batches into a RawImageSet at the target shape. test_batch*.bin files
 * form the test split; data_batch_*.bin and any other *.bin file the training split. Bad files
 * are skipped and listed in `problems`; if no test file is given, a seeded 1/6 of the training
 * records is held out (see `note`). Throws UserDataError (listing every problem) when no usable
 * record remains.
 */
export function parseCifarBatches(files: NamedBytes[], target: TargetShape, opts: CifarParseOptions = {}): CifarParseResult {
  checkTarget(target);
  const problems: UserFileProblem[] = [];
  const train: NamedBytes[] = [];
  const test: NamedBytes[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    if (isIgnoredPath(f.name) || COMPANIONS.has(baseName(f.name).toLowerCase())) continue;
    const nameProblem = checkName(f.name, f.bytes);
    if (nameProblem) {
      problems.push({ file: f.name, problem: nameProblem });
      continue;
    }
    const key = baseName(f.name).toLowerCase();
    if (seen.has(key)) {
      problems.push({ file: f.name, problem: `a file named ${baseName(f.name)} was already given; this copy is ignored.` });
      continue;
    }
    const byteProblem = checkBatch(f.bytes);
    if (byteProblem) {
      problems.push({ file: f.name, problem: byteProblem });
      continue;
    }
    seen.add(key);
    (key.startsWith('test_batch') ? test : train).push(f);
  }
  const byName = (a: NamedBytes, b: NamedBytes) => naturalCompare(baseName(a.name).toLowerCase(), baseName(b.name).toLowerCase());
  train.sort(byName);
  test.sort(byName);

  const trainPool = makePool(train);
  const testPool = makePool(test);
  if (trainPool.total + testPool.total === 0) {
    throw new UserDataError(
      files.length === 0 ? 'No files were given.' : 'None of the files is a usable CIFAR-10 binary batch.',
      problems,
    );
  }

  // Which records go to the test split: all of the test files, or a held-out sixth of one pool.
  let note: string | undefined;
  let source: Pool;
  let heldOut: Uint8Array | null = null; // 1 = test, per record of `source`
  if (trainPool.total > 0 && testPool.total > 0) {
    source = trainPool;
  } else {
    source = trainPool.total > 0 ? trainPool : testPool;
    if (source.total < 2) {
      throw new UserDataError('One CIFAR-10 record is not enough for a training and a held-out test split.', problems);
    }
    const nTest = Math.max(1, Math.floor(source.total / 6));
    heldOut = new Uint8Array(source.total);
    for (const i of new Rng(opts.seed ?? 0, 'cifar10-holdout').sample(source.total, nTest)) heldOut[i] = 1;
    note =
      trainPool.total > 0
        ? `No test_batch.bin was given: ${groupDigits(nTest)} of the ${groupDigits(source.total)} training records (1/6, chosen with a fixed seed) are held out as the test set.`
        : `No data_batch file was given: test_batch records were split, ${groupDigits(source.total - nTest)} for training and ${groupDigits(nTest)} (1/6, chosen with a fixed seed) held out as the test set.`;
  }
  const nTestTotal = heldOut ? heldOut.reduce((s, v) => s + v, 0) : testPool.total;
  const nTrainTotal = source.total - (heldOut ? nTestTotal : 0);

  const { height, width, channels } = target;
  const outSize = height * width * channels;
  const trX = new Uint8Array(nTrainTotal * outSize);
  const trY = new Uint8Array(nTrainTotal);
  const teX = new Uint8Array(nTestTotal * outSize);
  const teY = new Uint8Array(nTestTotal);
  const grand = source.total + (heldOut ? 0 : testPool.total);
  let done = 0;
  const hwc = new Uint8Array(CIFAR_PIXEL_BYTES);
  const plane = CIFAR_SIDE * CIFAR_SIDE;
  const progress = () => {
    done++;
    if (opts.onProgress && (done % 2000 === 0 || done === grand)) {
      opts.onProgress({ phase: 'parse', loaded: done, total: grand, detail: 'CIFAR-10 records' });
    }
  };
  const convert = (bytes: Uint8Array, r: number, x: Uint8Array, y: Uint8Array, k: number) => {
    const base = r * CIFAR_RECORD_BYTES;
    y[k] = bytes[base];
    // CHW planes (R then G then B) → HWC interleaved.
    for (let p = 0; p < plane; p++) {
      hwc[p * 3] = bytes[base + 1 + p];
      hwc[p * 3 + 1] = bytes[base + 1 + plane + p];
      hwc[p * 3 + 2] = bytes[base + 1 + 2 * plane + p];
    }
    x.set(resizeStack(hwc, 1, CIFAR_SIDE, CIFAR_SIDE, 3, height, width, channels), k * outSize);
  };
  let kTr = 0;
  let kTe = 0;
  forEachRecord(source, (bytes, r, i) => {
    if (heldOut && heldOut[i]) convert(bytes, r, teX, teY, kTe++);
    else convert(bytes, r, trX, trY, kTr++);
    progress();
  });
  if (!heldOut) {
    forEachRecord(testPool, (bytes, r) => {
      convert(bytes, r, teX, teY, kTe++);
      progress();
    });
  }

  const set: RawImageSet = {
    id: 'cifar10-upload',
    name: 'CIFAR-10 (your files)',
    height,
    width,
    channels,
    numClasses: 10,
    classNames: [...CIFAR10_CLASS_NAMES],
    train: { n: nTrainTotal, x: trX, y: trY },
    test: { n: nTestTotal, x: teX, y: teY },
    source: CIFAR10_SOURCE,
    license: CIFAR10_LICENSE,
    flipSafe: true,
  };
  return note === undefined ? { set, problems } : { set, problems, note };
}

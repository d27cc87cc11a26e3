/**
 * Every way data gets into the playground, as a fuzzing surface (issue 11 item 4): a fast-check
 * arbitrary that mixes valid inputs, mutated valid inputs and noise, and the parser the app runs
 * on it. `run` returns what the user would see: accepted, or rejected with a message. Anything
 * else (an exception that is not one of the parsers' own user-facing errors, a rejection without
 * a usable message) is a crash, which `classify` reports.
 *
 * Used by fuzz.test.ts (a few hundred cases per surface in `npm test`) and by src/fuzz/main.ts
 * (`npm run fuzz`, 10,000 per surface with counts).
 */
import fc from 'fast-check';
import { containerHeader, replaceContainerHeader } from '../core/container';
import { zipSync } from 'fflate';
import { parseAlphaFile } from '../cli/alphaFile';
import { UsageError } from '../cli/args';
import { DEFAULT_CONFIG } from '../core/config';
import { genotypeToJson, parseGenotypeJson, parseGenotypeRepr, printGenotypeRepr, type Genotype } from '../core/genotype';
import { DARTS_V2 } from '../core/genotypes';
import { getPreset } from '../core/presets';
import { PRIMITIVES } from '../core/primitives';
import { decodeRunFile, encodeRunFile, RunFileError } from '../core/runFile';
import { numEdges } from '../core/searchSpace';
import { parseReplayJson, ReplayFormatError } from '../core/replay';
import { deriveGenotype } from '../core/derive';
import { exportStateDict, importStateDict, referenceStateDict, StateDictError } from '../core/stateDict';
import { parseTrainSearchLog, TrainSearchLogError } from '../core/trainSearchLog';
import { decodeLink, URL_KEYS } from '../core/urlSchema';
import { ConfigError, parseConfigJson } from '../core/validateConfig';
import { DataFormatError, encodeImageSet, parseImageSet } from '../data/binaryFormat';
import type { RawImageSet } from '../data/types';
import { parseCifarBatches, CIFAR_RECORD_BYTES } from '../data/user/cifarBinary';
import { ImageDecodeError, UserDataError } from '../data/user/errors';
import { expandZip, loadImageFolder, type ImageDecoder } from '../data/user/imageFolder';
import { editBytes, editText, mutateJson, type TextEdit } from './mutate';

export type Outcome = { kind: 'accepted' } | { kind: 'rejected'; message: string };

export interface Surface {
  name: string;
  /** What a user does to get this input in. */
  what: string;
  arb: fc.Arbitrary<unknown>;
  run(input: unknown): Outcome | Promise<Outcome>;
}

/** The errors the parsers throw on purpose, with a message meant for the user. */
const USER_ERRORS = [RunFileError, ConfigError, ReplayFormatError, DataFormatError, UserDataError, ImageDecodeError, UsageError, TrainSearchLogError, StateDictError];

/** Run a parser: its own user-facing errors become rejections; anything else propagates (a crash). */
async function guarded(f: () => Outcome | Promise<Outcome>): Promise<Outcome> {
  try {
    return await f();
  } catch (e) {
    if (USER_ERRORS.some((E) => e instanceof E)) return { kind: 'rejected', message: (e as Error).message };
    throw e;
  }
}

/** Why a rejection message is not usable, or null when it is (it names what is wrong). */
export function badMessage(message: string): string | null {
  if (message.trim().length < 8) return 'the message is empty or too short to say what is wrong';
  if (/\[object Object\]|undefined is not|Cannot read prop/.test(message)) return 'the message leaks an internal error';
  return null;
}

// ------------------------------------------------------------------ shared arbitraries

const edits: fc.Arbitrary<TextEdit[]> = fc.array(
  fc.record({ at: fc.nat(), remove: fc.nat({ max: 4 }), insert: fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('"', ',', '[', ']', '{', '}', '(', ')', "'", '\\', '\u0000', '\u202e', '<script>')) }),
  { minLength: 1, maxLength: 4 },
);

/** Anything JSON can hold, plus the awkward numbers. */
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, -1, 0, 1e308, -0, 2 ** 53, 0.5, '', 'none', 'sep_conv_3x3', [], {}),
);

/** A valid input, that input with one value replaced or removed, or edited as text. */
function aroundJson<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: valid.map((v) => JSON.stringify(v)) },
    { weight: 4, arbitrary: fc.tuple(valid, fc.nat(), jsonish, fc.boolean()).map(([v, k, x, del]) => JSON.stringify(mutateJson(v, k, x, del))) },
    { weight: 2, arbitrary: fc.tuple(valid, edits).map(([v, e]) => editText(JSON.stringify(v), e)) },
    { weight: 1, arbitrary: fc.oneof(fc.string(), fc.json()) },
  );
}

const GENOTYPE_OPS = PRIMITIVES.filter((p) => p !== 'none');

/** A random well-formed genotype with `steps` nodes (2 inputs each). */
const genotypeArb = fc.integer({ min: 1, max: 6 }).chain((steps) => {
  const pairs = fc.tuple(
    ...Array.from({ length: steps * 2 }, (_, i) => fc.tuple(fc.constantFrom(...GENOTYPE_OPS), fc.integer({ min: 0, max: (i >> 1) + 1 }))),
  );
  const concat = Array.from({ length: steps }, (_, i) => i + 2);
  return fc.tuple(pairs, pairs).map(([n, r]): Genotype => ({ normal: n, normal_concat: concat, reduce: r, reduce_concat: concat }) as Genotype);
});

// ------------------------------------------------------------------ the surfaces

const genotypeJson: Surface = {
  name: 'genotype JSON',
  what: 'Import genotype (JSON), a shared link, the CLI --genotype',
  arb: fc.oneof(genotypeArb.map((g) => genotypeToJson(g)), aroundJson(genotypeArb)),
  run: (text) =>
    guarded(() => {
      const r = parseGenotypeJson(text as string);
      return r.ok ? { kind: 'accepted' } : { kind: 'rejected', message: r.errors.join('; ') };
    }),
};

const genotypeRepr: Surface = {
  name: 'genotype repr',
  what: 'Import genotype (the reference Genotype(...) line)',
  arb: fc.oneof(
    genotypeArb.map((g) => printGenotypeRepr(g)),
    fc.tuple(genotypeArb, edits).map(([g, e]) => editText(printGenotypeRepr(g), e)),
    fc.tuple(fc.constant(printGenotypeRepr(DARTS_V2)), edits).map(([t, e]) => editText(t, e)),
    fc.string(),
  ),
  run: (text) =>
    guarded(() => {
      const r = parseGenotypeRepr(text as string);
      return r.ok ? { kind: 'accepted' } : { kind: 'rejected', message: r.errors.join('; ') };
    }),
};

const configJson: Surface = {
  name: 'config JSON',
  what: 'the CLI --config file, the Settings import box',
  arb: aroundJson(fc.constant(DEFAULT_CONFIG)),
  run: (text) =>
    guarded(() => {
      parseConfigJson(text as string);
      return { kind: 'accepted' };
    }),
};

const alphaMatrix = (rows: number, cols: number) =>
  fc.array(fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows });
const alphaArb = fc.integer({ min: 1, max: 5 }).chain((steps) => {
  const rows = (steps * (steps + 3)) / 2;
  return fc.record({ normal: alphaMatrix(rows, 8), reduce: alphaMatrix(rows, 8) });
});

const alphaFile: Surface = {
  name: 'α file',
  what: 'the CLI --alpha file (derive, export)',
  arb: aroundJson(alphaArb),
  run: (text) =>
    guarded(() => {
      let obj: unknown;
      try {
        obj = JSON.parse(text as string);
      } catch (e) {
        // The CLI reads the file through readJsonFile, which reports malformed JSON as a usage error.
        throw new UsageError(`alpha.json is not JSON: ${(e as Error).message}`, 'derive');
      }
      parseAlphaFile(obj, 'alpha.json', 'derive', PRIMITIVES);
      return { kind: 'accepted' };
    }),
};

const linkValue = fc.oneof(
  fc.constantFrom('lecture', 'paper', 'tiny-mnist', '1', '0', '-1', '1e9', 'NaN', '', 'wasm', 'mnist+augment', 'task-long-range', 'ops,steps', 'sep_conv_3x3,skip_connect'),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -5, max: 500 }).map(String),
  fc.double({ noNaN: false }).map(String),
);
const linkArb = fc.oneof(
  fc.array(fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...URL_KEYS) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }), linkValue), { maxLength: 8 }).map((pairs) =>
    pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'),
  ),
  fc.string(),
);

const urlLink: Surface = {
  name: 'URL query and hash',
  what: 'opening a shared link (?query and #hash)',
  arb: fc.tuple(linkArb, linkArb, fc.boolean()),
  run: (input) =>
    guarded(() => {
      const [query, hash, useHash] = input as [string, string, boolean];
      const d = decodeLink(`?${query}`, useHash ? `#${hash}` : '');
      // A link always opens: what was dropped is named, with the reason, in the notice area.
      if (d.invalid.length === 0 && d.unknownKeys.length === 0) return { kind: 'accepted' };
      if (d.notices.length === 0) return { kind: 'rejected', message: '' };
      return { kind: 'rejected', message: d.notices.join(' ') };
    }),
};

function replaySurface(replayText: string): Surface {
  const base: unknown = JSON.parse(replayText);
  return {
    name: 'replay file',
    what: 'the recorded replays the app fetches, and replay files opened by hand',
    arb: aroundJson(fc.constant(base)),
    run: (text) =>
      guarded(() => {
        parseReplayJson(text as string);
        return { kind: 'accepted' };
      }),
  };
}

const TARGET = { height: 8, width: 8, channels: 3 };

/** Bytes of n CIFAR-10 records with labels in 0..11 (10 and 11 are bad labels). */
const cifarRecords = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.nat()).map(([n, seed]) => {
  const b = new Uint8Array(n * CIFAR_RECORD_BYTES);
  for (let i = 0; i < n; i++) b[i * CIFAR_RECORD_BYTES] = (seed + i) % 12;
  return b;
});
const cifarFile = fc.record({
  name: fc.constantFrom('data_batch_1.bin', 'data_batch_2.bin', 'test_batch.bin', 'batches.meta.txt', 'train.bin', 'notes.txt', 'data_batch_1'),
  bytes: fc.oneof(
    cifarRecords,
    fc.tuple(cifarRecords, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 3 }), fc.option(fc.nat())).map(([b, f, c]) => editBytes(b, f, c)),
    fc.uint8Array({ maxLength: 64 }),
  ),
});

const cifar: Surface = {
  name: 'CIFAR-10 binaries',
  what: 'dropping CIFAR-10 .bin batches on the Data panel',
  arb: fc.array(cifarFile, { maxLength: 4 }),
  run: (files) =>
    guarded(() => {
      const r = parseCifarBatches(files as { name: string; bytes: Uint8Array }[], TARGET);
      if (r.problems.length > 0 && r.set.train.n === 0) return { kind: 'rejected', message: r.problems.map((p) => `${p.file}: ${p.problem}`).join('; ') };
      return { kind: 'accepted' };
    }),
};

/** A fake image format for the ZIP pipeline: PNG magic, then width, height and RGBA bytes. */
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
function fakePng(w: number, h: number, fill: number): Uint8Array {
  const b = new Uint8Array(12 + w * h * 4).fill(fill);
  b.set(PNG, 0);
  b[8] = w;
  b[9] = h;
  return b;
}
/** Decodes fakePng, and fails like a browser decoder on anything else. */
const fakeDecode: ImageDecoder = async (bytes) => {
  const w = bytes[8] ?? 0;
  const h = bytes[9] ?? 0;
  if (bytes.length < 12 + w * h * 4) throw new ImageDecodeError('the image is truncated or corrupt and could not be decoded.');
  return { width: w, height: h, data: new Uint8ClampedArray(bytes.buffer, bytes.byteOffset + 12, w * h * 4) };
};

const zipEntry = fc.tuple(
  fc.oneof(fc.constantFrom('cats', 'dogs', 'birds', '__MACOSX', '.hidden', 'a/b'), fc.string({ minLength: 1, maxLength: 6 })),
  fc.oneof(fc.constantFrom('1.png', '2.png', '3.jpg', 'x.txt', '.DS_Store'), fc.string({ minLength: 1, maxLength: 6 })),
  fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.nat({ max: 255 })).map(([w, h, f]) => fakePng(w, h, f)),
    fc.uint8Array({ maxLength: 24 }),
  ),
);
const zipArb = fc
  .tuple(
    fc.array(zipEntry, { maxLength: 8 }),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 2 }),
    fc.option(fc.nat(), { freq: 4 }),
    fc.boolean(),
  )
  .map(([entries, flips, cut, corrupt]) => {
    const tree: Record<string, Uint8Array> = {};
    for (const [dir, file, bytes] of entries) tree[`${dir}/${file}`] = bytes;
    const zip = zipSync(tree);
    return corrupt ? editBytes(zip, flips, cut) : zip;
  });

/** A usable upload: 2–4 classes of 2–4 decodable images, sometimes with a stray file. */
const goodZipArb = fc
  .tuple(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 6 }), fc.boolean())
  .map(([classes, per, side, stray]) => {
    const tree: Record<string, Uint8Array> = {};
    for (let c = 0; c < classes; c++) for (let i = 0; i < per; i++) tree[`class${c}/${i}.png`] = fakePng(side, side, 40 * c + i);
    if (stray) tree['class0/notes.txt'] = new TextEncoder().encode('not an image');
    return zipSync(tree);
  });

const zipFolder: Surface = {
  name: 'ZIP of class folders',
  what: 'dropping a ZIP of images (one folder per class) on the Data panel',
  arb: fc.oneof({ weight: 3, arbitrary: goodZipArb }, { weight: 5, arbitrary: zipArb }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) }),
  run: (bytes) =>
    guarded(async () => {
      const entries = expandZip('upload.zip', bytes as Uint8Array);
      await loadImageFolder(entries, TARGET, fakeDecode, { seed: 1 });
      return { kind: 'accepted' };
    }),
};

const smallSet: RawImageSet = {
  id: 'fuzz',
  name: 'Fuzz set',
  height: 2,
  width: 2,
  channels: 1,
  numClasses: 2,
  classNames: ['a', 'b'],
  train: { n: 2, x: new Uint8Array(8), y: new Uint8Array([0, 1]) },
  test: { n: 1, x: new Uint8Array(4), y: new Uint8Array([1]) },
  source: 'fuzz',
  license: 'none',
  flipSafe: false,
};
const smallSetBytes = encodeImageSet(smallSet);

const datasetFile: Surface = {
  name: 'dataset binary',
  what: 'the built-in dataset files (public/data/*.bin) as the worker reads them',
  arb: fc.oneof(
    fc.constant(smallSetBytes),
    fc.tuple(fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 4 }), fc.option(fc.nat())).map(([f, c]) => editBytes(smallSetBytes, f, c)),
    fc.uint8Array({ maxLength: 128 }),
  ),
  run: (bytes) =>
    guarded(() => {
      parseImageSet(bytes as Uint8Array);
      return { kind: 'accepted' };
    }),
};

/** A small valid run file: the simple-convs config with made-up weights. */
const runBytes = (() => {
  const config = getPreset('simple-convs');
  const a = numEdges(config.steps) * config.ops.length;
  const f = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.cos(i * k));
  return encodeRunFile({
    savedAt: '2026-12-06T00:00:00.000Z',
    dataset: { name: 'task', id: 'task-long-range' },
    state: {
      config,
      step: 3,
      archSteps: 3,
      weights: [{ name: 'stem.0.weight', shape: [4, 3], data: f(12, 1) }],
      buffers: [{ name: 'stem.1.running_mean', shape: [4], data: f(4, 2) }],
      alphaNormal: f(a, 3),
      alphaReduce: f(a, 4),
      momentum: [f(12, 5)],
      adam: { t: 3, m: [f(a, 6), f(a, 7)], v: [f(a, 8), f(a, 9)] },
      rngState: [5, 6, 7, 8],
    },
    history: { step: [1, 2, 3], trainLoss: [1.3, 1.2, 1.1], trainAcc: [0.2, 0.3, null], valLoss: [1.4, null, 1.2], valAcc: [0.25, 0.25, 0.3] },
  });
})();

const runHeader = containerHeader(runBytes);

const runFile: Surface = {
  name: 'run file',
  what: '"Open run", the autosave, and darts search --resume',
  arb: fc.oneof(
    { weight: 1, arbitrary: fc.constant(runBytes) },
    { weight: 4, arbitrary: fc.tuple(fc.nat(), jsonish, fc.boolean()).map(([k, v, del]) => replaceContainerHeader(runBytes, mutateJson(runHeader, k, v, del))) },
    { weight: 2, arbitrary: fc.tuple(fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 4 }), fc.option(fc.nat())).map(([f, c]) => editBytes(runBytes, f, c)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  ),
  run: (bytes) =>
    guarded(() => {
      decodeRunFile(bytes as Uint8Array);
      return { kind: 'accepted' };
    }),
};

/**
 * A small quark0/darts train_search.py log (trainSearchLog.ts): args, two epochs with genotype,
 * both printed matrices (one modern, one PyTorch 0.3 style) and metrics.
 */
const trainSearchLogText = (() => {
  const rows = (k: number) => Array.from({ length: 14 }, (_, r) => Array.from({ length: 8 }, (_, c) => (c === (r + k) % 8 ? 0.3 : 0.1)));
  const modern = (m: number[][]) => `tensor([${m.map((r) => `[${r.map((v) => v.toFixed(4)).join(', ')}]`).join(',\n        ')}], device='cuda:0', grad_fn=<SoftmaxBackward>)`;
  const old = (m: number[][]) => `Variable containing:\n${m.map((r) => ` ${r.map((v) => v.toFixed(4)).join('  ')}`).join('\n')}\n[torch.cuda.FloatTensor of size 14x8 (GPU 0)]\n`;
  const t = '12/05 10:11:12 AM';
  const lines = [`${t} args = Namespace(batch_size=64, epochs=50, init_channels=16, layers=8, seed=2, train_portion=0.5, unrolled=False)`, `${t} param size = 1.930618MB`];
  for (const e of [0, 1]) {
    const [n, r] = [rows(e + 1), rows(e + 3)];
    const g = deriveGenotype({ normal: n, reduce: r }, PRIMITIVES, 4, 4, 'softmax');
    lines.push(`${t} epoch ${e} lr 2.500000e-02`, `${t} genotype = ${printGenotypeRepr(g)}`);
    lines.push(e === 0 ? modern(n) : old(n), e === 0 ? modern(r) : old(r));
    lines.push(`${t} train 000 2.302585e+00 9.375000 50.000000`, `${t} train_acc 42.412000`, `${t} valid_acc 44.836000`);
  }
  return lines.join('\n') + '\n';
})();

const trainSearchLog: Surface = {
  name: 'train_search log',
  what: '"Open replay or log" with a quark0/darts train_search.py log, darts log-to-replay',
  arb: fc.oneof(
    { weight: 1, arbitrary: fc.constant(trainSearchLogText) },
    { weight: 5, arbitrary: edits.map((e) => editText(trainSearchLogText, e)) },
    { weight: 2, arbitrary: fc.tuple(fc.nat(), fc.nat({ max: 6 })).map(([at, n]) => trainSearchLogText.split('\n').filter((_l, i, a) => i < at % a.length || i >= (at % a.length) + n).join('\n')) },
    { weight: 1, arbitrary: fc.string() },
  ),
  run: (text) =>
    guarded(() => {
      parseTrainSearchLog(text as string);
      return { kind: 'accepted' };
    }),
};

/** A PyTorch weights export (stateDict.ts) of the simple-convs network with made-up weights. */
const stateDictBytes = (() => {
  const config = getPreset('simple-convs');
  const a = numEdges(config.steps) * config.ops.length;
  const f = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.cos(i * k));
  const es = referenceStateDict(config);
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  return exportStateDict({
    config,
    step: 3,
    archSteps: 3,
    weights: es.filter((e) => e.role === 'parameter').map((e, i) => ({ name: e.name, shape: e.tfShape, data: f(size(e.tfShape), i + 1) })),
    buffers: es.filter((e) => e.dtype === 'float32' && e.role === 'buffer').map((e) => ({ name: e.name, shape: e.torchShape, data: new Float32Array(size(e.torchShape)).fill(1) })),
    alphaNormal: f(a, 3),
    alphaReduce: f(a, 4),
    momentum: [],
    adam: { t: 0, m: [], v: [] },
    rngState: [],
  });
})();
const stateDictHeader = containerHeader(stateDictBytes);

const stateDict: Surface = {
  name: 'PyTorch weights export',
  what: '"Import PyTorch weights", darts import-weights (exports from the app or scripts/darts_state_dict.py)',
  arb: fc.oneof(
    { weight: 1, arbitrary: fc.constant(stateDictBytes) },
    { weight: 4, arbitrary: fc.tuple(fc.nat(), jsonish, fc.boolean()).map(([k, v, del]) => replaceContainerHeader(stateDictBytes, mutateJson(stateDictHeader, k, v, del))) },
    { weight: 2, arbitrary: fc.tuple(fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 4 }), fc.option(fc.nat())).map(([f, c]) => editBytes(stateDictBytes, f, c)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  ),
  run: (bytes) =>
    guarded(() => {
      importStateDict(bytes as Uint8Array);
      return { kind: 'accepted' };
    }),
};

export interface SurfaceInputs {
  /** A valid replay file's text (public/replays/*.json), the seed of the replay surface. */
  replayText: string;
}

export function surfaces(inputs: SurfaceInputs): Surface[] {
  return [genotypeJson, genotypeRepr, configJson, alphaFile, urlLink, replaySurface(inputs.replayText), runFile, cifar, zipFolder, datasetFile, trainSearchLog, stateDict];
}

export interface Tally {
  surface: string;
  tried: number;
  accepted: number;
  rejected: number;
  crashed: number;
  /** The slowest case, in ms (a hang shows here). */
  slowestMs: number;
  /** The first few crashes: the input (shortened) and what went wrong. */
  crashes: { input: string; error: string }[];
}

/** Short printable form of an input, for crash reports. */
function show(x: unknown): string {
  const s = x instanceof Uint8Array ? `Uint8Array(${x.length}) [${[...x.subarray(0, 24)].join(',')}…]` : JSON.stringify(x, (_k, v) => (v instanceof Uint8Array ? `Uint8Array(${v.length})` : v));
  return s.length > 400 ? `${s.slice(0, 400)}…` : s;
}

/** Run `n` cases of one surface from `seed`, and count what happened to them. */
export async function fuzzSurface(s: Surface, n: number, seed: number, hangMs = 2000): Promise<Tally> {
  const t: Tally = { surface: s.name, tried: 0, accepted: 0, rejected: 0, crashed: 0, slowestMs: 0, crashes: [] };
  const crash = (input: unknown, error: string) => {
    t.crashed++;
    if (t.crashes.length < 5) t.crashes.push({ input: show(input), error });
  };
  for (const input of fc.sample(s.arb, { numRuns: n, seed })) {
    t.tried++;
    const t0 = performance.now();
    try {
      const o = await s.run(input);
      if (o.kind === 'accepted') t.accepted++;
      else {
        const why = badMessage(o.message);
        if (why) crash(input, `rejected, but ${why}: ${JSON.stringify(o.message)}`);
        else t.rejected++;
      }
    } catch (e) {
      crash(input, e instanceof Error ? `${e.name}: ${e.message}` : `threw ${String(e)}`);
    }
    const ms = performance.now() - t0;
    t.slowestMs = Math.max(t.slowestMs, ms);
    if (ms > hangMs) crash(input, `took ${Math.round(ms)} ms (a hang)`);
  }
  return t;
}

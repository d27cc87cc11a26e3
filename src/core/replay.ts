/**
 * The replay format: a recorded search run, committed as compact JSON under public/replays/ and
 * played back by the app the moment a preset opens (issue 5 item 3), so that even a laptop that
 * takes minutes per step shows DARTS at work at once.
 *
 * `darts record` (src/cli/record.ts) writes it; src/ui/replay.ts plays it. Both go through this
 * module, so the format has one definition:
 *
 *   { kind: "darts-replay", version: 1, preset, note, command, config, dataset, backend,
 *     ops, alphaShape: { edges, ops }, every, scale: { softmax, raw },
 *     frames: [ { step, archStep, epoch, lr, trainLoss, trainAcc, valLoss, valAcc,
 *                 softmax: { normal: int[], reduce: int[] }, raw?: { normal: int[], reduce: int[] },
 *                 derive?: { normal: int[], reduce: int[] } } ] }
 *
 * - One frame per recorded step, the first one at step 0 (the freshly initialised α, spec §2.2:
 *   1e-3 · N(0, 1), so softmax(α) is uniform to 3 decimals).
 * - α matrices are flat, row-major `edges × ops` (the edge order of spec §1.4), as integers in
 *   units of 1/scale: softmax(α) in 1/10000 (exactly the 4 decimals the cells draw as
 *   `data-weight`), raw α in 1/100000. Integers are about half the size of decimals in JSON.
 * - Metrics are rounded to 4 significant digits; null where a phase had not run yet (step 0).
 * - No timestamps or timings: regenerating with the same command gives the same file, so a diff
 *   shows only real changes.
 */
import { z } from 'zod';
import type { SearchConfig } from './config';
import { numEdges } from './searchSpace';
import { ConfigError, validateConfig } from './validateConfig';

export const REPLAY_KIND = 'darts-replay';
export const REPLAY_VERSION = 1;
/** softmax(α) is stored in units of 1/10000, raw α in units of 1/100000. */
export const SOFTMAX_SCALE = 10_000;
export const RAW_SCALE = 100_000;

/** One recorded step, decoded: what the app's live store needs to draw it. */
export interface ReplayFrame {
  step: number;
  archStep: number;
  epoch: number;
  lr: number;
  trainLoss: number | null;
  trainAcc: number | null;
  valLoss: number | null;
  valAcc: number | null;
  /** softmax(α), row-major edges × ops. */
  softmaxNormal: Float32Array;
  softmaxReduce: Float32Array;
  /** Raw α (same shape), when the file has it. */
  rawNormal: Float32Array | null;
  rawReduce: Float32Array | null;
  /**
   * The rows the method's derivation ranks where they are not softmax(α) (PC-DARTS' β-weighted
   * softmax, FairDARTS' sigmoids: core/methodDerive.ts), in softmax units; optional.
   */
  deriveNormal?: Float32Array | null;
  deriveReduce?: Float32Array | null;
}

/** A decoded, validated replay. */
export interface Replay {
  preset: string;
  /** What the run is, in a sentence or two (reduced runs say so here). */
  note: string;
  /** The command that regenerates the file. */
  command: string;
  config: SearchConfig;
  dataset: string;
  backend: string;
  ops: string[];
  alphaShape: { edges: number; ops: number };
  /** Steps between two recorded frames. */
  every: number;
  frames: ReplayFrame[];
}

/** What the recorder collects per step before encoding (plain numbers, full precision). */
export type RecordedFrame = ReplayFrame;

/** A replay file that cannot be played: the message says what is wrong with it. */
export class ReplayFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayFormatError';
  }
}

// ------------------------------------------------------------------ encode

/** 4 significant digits (metrics); null stays null. */
export function sig4(x: number | null | undefined): number | null {
  if (x === null || x === undefined) return null;
  if (!Number.isFinite(x)) return null;
  return Number(x.toPrecision(4));
}

const toInts = (a: ArrayLike<number>, scale: number): number[] => Array.from(a, (v) => Math.round(v * scale));

export interface EncodeMeta {
  preset: string;
  note: string;
  command: string;
  config: SearchConfig;
  dataset: string;
  backend: string;
  every: number;
  /** Store raw α too (about doubles the file). Default true. */
  raw?: boolean;
}

/** The JSON object of a replay file (see the module comment). */
export function encodeReplay(meta: EncodeMeta, frames: readonly RecordedFrame[]): Record<string, unknown> {
  const edges = numEdges(meta.config.steps);
  const ops = meta.config.ops.length;
  const withRaw = meta.raw !== false;
  return {
    kind: REPLAY_KIND,
    version: REPLAY_VERSION,
    preset: meta.preset,
    note: meta.note,
    command: meta.command,
    config: meta.config,
    dataset: meta.dataset,
    backend: meta.backend,
    ops: [...meta.config.ops],
    alphaShape: { edges, ops },
    every: meta.every,
    scale: { softmax: SOFTMAX_SCALE, ...(withRaw ? { raw: RAW_SCALE } : {}) },
    frames: frames.map((f) => ({
      step: f.step,
      archStep: f.archStep,
      epoch: f.epoch,
      lr: sig4(f.lr),
      trainLoss: sig4(f.trainLoss),
      trainAcc: sig4(f.trainAcc),
      valLoss: sig4(f.valLoss),
      valAcc: sig4(f.valAcc),
      softmax: { normal: toInts(f.softmaxNormal, SOFTMAX_SCALE), reduce: toInts(f.softmaxReduce, SOFTMAX_SCALE) },
      ...(withRaw && f.rawNormal && f.rawReduce
        ? { raw: { normal: toInts(f.rawNormal, RAW_SCALE), reduce: toInts(f.rawReduce, RAW_SCALE) } }
        : {}),
      ...(f.deriveNormal && f.deriveReduce ? { derive: { normal: toInts(f.deriveNormal, SOFTMAX_SCALE), reduce: toInts(f.deriveReduce, SOFTMAX_SCALE) } } : {}),
    })),
  };
}

/**
 * Compact JSON text: one line per frame, so the file stays small, diffable and readable
 * (`head` shows the metadata).
 */
export function replayToJson(obj: Record<string, unknown>): string {
  const { frames, ...head } = obj as { frames: unknown[] };
  const headText = JSON.stringify(head, null, 1).replace(/\n\s*/g, ' ');
  return `${headText.slice(0, -1).trimEnd()}, "frames": [\n${frames.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

// ------------------------------------------------------------------ decode

// α arrays are checked element by element in decodeReplay's own loop: zod's per-element checks
// cost about a second for the lecture replay on a slow laptop, against the 5 s budget.
const intArray = z.custom<number[]>((v) => Array.isArray(v), { error: 'must be an array of integers' });
const metric = z.number().nullable();

const fileSchema = z.object({
  kind: z.literal(REPLAY_KIND, { error: `"kind" must be "${REPLAY_KIND}"` }),
  version: z.literal(REPLAY_VERSION, { error: `"version" must be ${REPLAY_VERSION} (this app reads version ${REPLAY_VERSION} only)` }),
  preset: z.string(),
  note: z.string().default(''),
  command: z.string().default(''),
  config: z.record(z.string(), z.unknown()),
  dataset: z.string().default('synthetic'),
  backend: z.string().default(''),
  ops: z.array(z.string()).min(1),
  alphaShape: z.object({ edges: z.number().int().positive(), ops: z.number().int().positive() }),
  every: z.number().int().positive().default(1),
  scale: z.object({ softmax: z.number().positive(), raw: z.number().positive().optional() }),
  frames: z
    .array(
      z.object({
        step: z.number().int().min(0),
        archStep: z.number().int().min(0),
        epoch: z.number().int().min(0),
        lr: z.number(),
        trainLoss: metric,
        trainAcc: metric,
        valLoss: metric,
        valAcc: metric,
        softmax: z.object({ normal: intArray, reduce: intArray }),
        raw: z.object({ normal: intArray, reduce: intArray }).optional(),
        derive: z.object({ normal: intArray, reduce: intArray }).optional(),
      }),
    )
    .min(1, { error: 'a replay needs at least one frame' }),
});

function where(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'the file' : path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

/**
 * Validate and decode a parsed replay file.
 * @throws ReplayFormatError naming the first problems (field path and what was expected)
 */
export function decodeReplay(json: unknown): Replay {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ReplayFormatError('not a replay file: expected a JSON object');
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${where(i.path)}: ${i.message}`);
    throw new ReplayFormatError(`invalid replay file: ${issues.join('; ')}`);
  }
  const f = parsed.data;
  let config: SearchConfig;
  try {
    config = validateConfig(f.config);
  } catch (e) {
    const why = e instanceof ConfigError ? e.issues.map((i) => `${i.field}: ${i.message}`).join('; ') : (e as Error).message;
    throw new ReplayFormatError(`invalid replay file: config: ${why}`);
  }
  const edges = numEdges(config.steps);
  const nOps = config.ops.length;
  if (f.ops.join(',') !== config.ops.join(',')) {
    throw new ReplayFormatError(`invalid replay file: ops [${f.ops.join(', ')}] differ from the config's [${config.ops.join(', ')}]`);
  }
  if (f.alphaShape.edges !== edges || f.alphaShape.ops !== nOps) {
    throw new ReplayFormatError(
      `invalid replay file: alphaShape ${f.alphaShape.edges}×${f.alphaShape.ops} does not match the config (${edges} edges × ${nOps} ops)`,
    );
  }
  const n = edges * nOps;
  const sm = f.scale.softmax;
  const rs = f.scale.raw;
  const frames = f.frames.map((fr, i): ReplayFrame => {
    const check = (a: number[], what: string) => {
      if (a.length !== n) throw new ReplayFormatError(`invalid replay file: frames[${i}].${what} has ${a.length} values, expected ${edges}×${nOps} = ${n}`);
    };
    check(fr.softmax.normal, 'softmax.normal');
    check(fr.softmax.reduce, 'softmax.reduce');
    if (fr.raw) {
      if (rs === undefined) throw new ReplayFormatError(`invalid replay file: frames[${i}] has raw α but scale.raw is missing`);
      check(fr.raw.normal, 'raw.normal');
      check(fr.raw.reduce, 'raw.reduce');
    }
    if (fr.derive) {
      check(fr.derive.normal, 'derive.normal');
      check(fr.derive.reduce, 'derive.reduce');
    }
    if (i > 0 && fr.step < f.frames[i - 1].step) {
      throw new ReplayFormatError(`invalid replay file: frames[${i}].step ${fr.step} goes back from ${f.frames[i - 1].step}`);
    }
    const scaled = (a: number[], s: number, what: string) => {
      const out = new Float32Array(a.length);
      for (let j = 0; j < a.length; j++) {
        const v = a[j];
        if (!Number.isInteger(v)) throw new ReplayFormatError(`invalid replay file: frames[${i}].${what}[${j}]: must be an integer, got ${JSON.stringify(v)}`);
        out[j] = v / s;
      }
      return out;
    };
    return {
      step: fr.step,
      archStep: fr.archStep,
      epoch: fr.epoch,
      lr: fr.lr,
      trainLoss: fr.trainLoss,
      trainAcc: fr.trainAcc,
      valLoss: fr.valLoss,
      valAcc: fr.valAcc,
      softmaxNormal: scaled(fr.softmax.normal, sm, 'softmax.normal'),
      softmaxReduce: scaled(fr.softmax.reduce, sm, 'softmax.reduce'),
      rawNormal: fr.raw && rs ? scaled(fr.raw.normal, rs, 'raw.normal') : null,
      rawReduce: fr.raw && rs ? scaled(fr.raw.reduce, rs, 'raw.reduce') : null,
      ...(fr.derive ? { deriveNormal: scaled(fr.derive.normal, sm, 'derive.normal'), deriveReduce: scaled(fr.derive.reduce, sm, 'derive.reduce') } : {}),
    };
  });
  return {
    preset: f.preset,
    note: f.note,
    command: f.command,
    config,
    dataset: f.dataset,
    backend: f.backend,
    ops: f.ops,
    alphaShape: { edges, ops: nOps },
    every: f.every,
    frames,
  };
}

/** Parse and decode replay JSON text. @throws ReplayFormatError */
export function parseReplayJson(text: string): Replay {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ReplayFormatError(`a replay file must be JSON: ${(e as Error).message}`);
  }
  return decodeReplay(json);
}

/**
 * Does a replay show the run the page is about to build? Only then may it stand in for it: same
 * config in every field (a different seed or size is another run).
 */
export function sameConfig(a: SearchConfig, b: SearchConfig): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof SearchConfig>;
  for (const k of keys) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return false;
  return true;
}

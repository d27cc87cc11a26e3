/**
 * The supernet's weights and α in the reference's own names (issue 12 item 3.2): an export that
 * `scripts/darts_state_dict.py to-torch` turns into a `weights.pt` which
 * `model_search.Network(C, num_classes, layers, criterion).load_state_dict(...)` accepts, and the
 * way back (`from-torch`, then `importStateDict` here, then "Open run" or `search --resume`).
 *
 * ## What the reference's state_dict holds (spec §1.2–§1.6)
 *
 * `Network.state_dict()` walks the modules in registration order: `stem` (a Sequential of the
 * 3×3 conv and an affine BN), then `cells.i` (each: `preprocess0`, `preprocess1`, then `_ops`, one
 * MixedOp per edge in row order (spec §1.5), each MixedOp's `_ops.k` one module per PRIMITIVE),
 * then `classifier`. Every module lists its parameters, then its buffers. So the names are:
 *
 *   stem.0.weight                                   [3C, 3, 3, 3]
 *   stem.1.{weight,bias,running_mean,running_var}   [3C]  (+ num_batches_tracked, see below)
 *   cells.i.preprocess0.op.1.weight                 [C, C_pp, 1, 1]  ReLUConvBN: 0 ReLU, 1 conv, 2 BN
 *   cells.i.preprocess0.conv_1.weight / conv_2 / bn  FactorizedReduce after a reduction cell (§1.3)
 *   cells.i.preprocess1.op.1.weight                 [C, C_p, 1, 1], then its BN `op.2`
 *   cells.i._ops.r._ops.k…                          edge r, op k (index in PRIMITIVES):
 *       pools (k = 1, 2)   `.1` = the BN the search adds after a pool (§1.4), buffers only
 *       skip at stride 2   `.conv_1.weight`, `.conv_2.weight` [C/2, C, 1, 1], `.bn` (FactorizedReduce)
 *       sep_conv           `.op.1` dw [C,1,k,k], `.op.2` pw [C,C,1,1], BN `.op.3`, `.op.5`, `.op.6`, BN `.op.7`
 *       dil_conv           `.op.1` dw, `.op.2` pw, BN `.op.3`
 *       none, skip at stride 1: no state at all (Zero, Identity)
 *   classifier.weight [classes, C_last], classifier.bias [classes]
 *
 * Cell BNs are `affine=False` (spec §1.7): they have running statistics but no weight/bias.
 * `alphas_normal` / `alphas_reduce` are plain tensors, not module parameters, so they are NOT in
 * state_dict (spec §2); the export carries them separately, raw (before softmax), 14×8.
 *
 * ## num_batches_tracked
 *
 * PyTorch ≥ 0.4.1 gives every BN with running statistics an int64 buffer `num_batches_tracked`.
 * It is only read when `momentum=None` (cumulative averaging); the reference uses the default
 * momentum 0.1, so its value changes nothing. A plain dict loaded with `load_state_dict(strict=True)`
 * would in fact be accepted without it (BN's loader fills it in for checkpoints without version
 * metadata), but we write it anyway so the checkpoint looks exactly like one saved by modern
 * torch. Its value is the number of weight steps (`step`): the engine does not count BN forward
 * passes. `to-torch --no-num-batches-tracked` leaves it out for PyTorch 0.3, whose BN has no such
 * buffer and would reject it as an unexpected key. On import it is optional and ignored.
 *
 * ## Layouts
 *
 * The run file (runFile.ts `SavedSearchState`) stores each weight under its reference name but in
 * the engine's tfjs layout (engine/params.ts): conv `hwio` [kh,kw,I,O], depthwise `dw` [k,k,C,1],
 * 1×1 conv `pw` [I,O], Linear `linear` [in,out] (spec §1.9 item 5). The export stores the torch
 * shape and torch (row-major NCHW-style) data; `tfToTorch` / `torchToTf` here are the exact
 * permutations (the engine's own torchToTf is tested to agree).
 *
 * ## File format (little-endian), kept simple so 30 lines of standard-library Python read it
 *
 *   bytes 0–3   "DSTD"
 *   bytes 4–7   u32 format version (STATE_DICT_VERSION)
 *   bytes 8–11  u32 n = byte length of the JSON header
 *   bytes 12…   the header, UTF-8 JSON (StateDictHeader), zero padding to a multiple of 4
 *   then        float32 data; each float32 entry gives `offset` and `length` in floats
 *
 * int64 entries (`num_batches_tracked`, 0-d) hold their `value` in the header instead.
 * Pure TypeScript: no tfjs, no DOM.
 */
import { z } from 'zod';
import type { SearchConfig, SearchSpaceConfig } from './config';
import { DEFAULT_CONFIG } from './config';
import { decodeContainer, encodeContainer } from './container';
import { METHOD_INFO, type MethodName } from './methods';
import { PRIMITIVES, type OpName } from './primitives';
import type { RunDataset, SavedSearchState } from './runFile';
import { cellEdges, edgeStride, networkPlan, numEdges } from './searchSpace';
import { ConfigError, validateConfig } from './validateConfig';

export const STATE_DICT_VERSION = 1;
export const STATE_DICT_KIND = 'darts-state-dict';
const MAGIC = 'DSTD';

/** The engine's storage layouts (engine/params.ts `Layout`), repeated here: core cannot import the engine. */
export type TfLayout = 'hwio' | 'dw' | 'pw' | 'linear' | 'vec';

/** One key of `model_search.Network.state_dict()`. */
export interface StateDictEntry {
  name: string;
  role: 'parameter' | 'buffer';
  dtype: 'float32' | 'int64';
  /** The shape torch reports (`tensor.shape`). */
  torchShape: number[];
  /** How the playground stores it (weights only; buffers are 1-D and need no permutation). */
  layout: TfLayout;
  /** The shape in the run file (tfjs layout). */
  tfShape: number[];
}

/** A problem with an export or an import: the message names the key or field. */
export class StateDictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateDictError';
  }
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

function tfShapeOf(layout: TfLayout, t: number[]): number[] {
  switch (layout) {
    case 'hwio':
      return [t[2], t[3], t[1], t[0]];
    case 'dw':
      return [t[2], t[3], t[0], 1];
    case 'pw':
      return [t[1], t[0]];
    case 'linear':
      return [t[1], t[0]];
    case 'vec':
      return [...t];
  }
}

const SEP: Partial<Record<OpName, number>> = { sep_conv_3x3: 3, sep_conv_5x5: 5 };
const DIL: Partial<Record<OpName, number>> = { dil_conv_3x3: 3, dil_conv_5x5: 5 };
/** The playground's extra ops (ReLUConvBN k×k): `op.1` conv, `op.2` BN. Not in the reference PRIMITIVES. */
const FULL: Partial<Record<OpName, number>> = { conv_1x1: 1, conv_3x3: 3, conv_5x5: 5 };

/**
 * Every state_dict key of the reference search network for `cfg`, in torch's order (see the
 * module comment). With the 8 PRIMITIVES this is exactly `model_search.Network`; with the
 * playground's other op sets it is the same construction rule applied to those ops.
 */
export function referenceStateDict(cfg: SearchSpaceConfig & { method?: string }, opts: { numBatchesTracked?: boolean } = {}): StateDictEntry[] {
  const nbt = opts.numBatchesTracked !== false;
  const net = networkPlan(cfg);
  const out: StateDictEntry[] = [];
  const param = (name: string, layout: TfLayout, torchShape: number[]) =>
    out.push({ name, role: 'parameter', dtype: 'float32', torchShape, layout, tfShape: tfShapeOf(layout, torchShape) });
  const bn = (prefix: string, c: number, affine = false) => {
    if (affine) {
      param(`${prefix}.weight`, 'vec', [c]);
      param(`${prefix}.bias`, 'vec', [c]);
    }
    for (const b of ['running_mean', 'running_var'])
      out.push({ name: `${prefix}.${b}`, role: 'buffer', dtype: 'float32', torchShape: [c], layout: 'vec', tfShape: [c] });
    if (nbt) out.push({ name: `${prefix}.num_batches_tracked`, role: 'buffer', dtype: 'int64', torchShape: [], layout: 'vec', tfShape: [] });
  };
  // Stem (spec §1.6): conv 3×3 in → 3C without bias, BN(3C) with affine=True.
  param('stem.0.weight', 'hwio', [net.stemC, cfg.inChannels, 3, 3]);
  bn('stem.1', net.stemC, true);
  const edges = cellEdges(cfg.steps);
  for (const cp of net.cells) {
    const cell = `cells.${cp.index}`;
    const C = cp.c;
    // Preprocessing (spec §1.3).
    if (cp.pre0 === 'fr') {
      param(`${cell}.preprocess0.conv_1.weight`, 'pw', [C / 2, cp.cPrevPrev, 1, 1]);
      param(`${cell}.preprocess0.conv_2.weight`, 'pw', [C / 2, cp.cPrevPrev, 1, 1]);
      bn(`${cell}.preprocess0.bn`, C);
    } else {
      param(`${cell}.preprocess0.op.1.weight`, 'pw', [C, cp.cPrevPrev, 1, 1]);
      bn(`${cell}.preprocess0.op.2`, C);
    }
    param(`${cell}.preprocess1.op.1.weight`, 'pw', [C, cp.cPrev, 1, 1]);
    bn(`${cell}.preprocess1.op.2`, C);
    // One MixedOp per edge, in row order (spec §1.5); one module per op, in column order (§1.4).
    for (const e of edges) {
      const stride = edgeStride(cp.reduction, e.from);
      cfg.ops.forEach((op, k) => {
        const base = `${cell}._ops.${e.row}._ops.${k}`;
        if (op === 'max_pool_3x3' || op === 'avg_pool_3x3') bn(`${base}.1`, C);
        else if (op === 'skip_connect') {
          if (stride === 2) {
            param(`${base}.conv_1.weight`, 'pw', [C / 2, C, 1, 1]);
            param(`${base}.conv_2.weight`, 'pw', [C / 2, C, 1, 1]);
            bn(`${base}.bn`, C);
          }
        } else if (SEP[op] !== undefined) {
          const kk = SEP[op]!;
          param(`${base}.op.1.weight`, 'dw', [C, 1, kk, kk]);
          param(`${base}.op.2.weight`, 'pw', [C, C, 1, 1]);
          bn(`${base}.op.3`, C);
          param(`${base}.op.5.weight`, 'dw', [C, 1, kk, kk]);
          param(`${base}.op.6.weight`, 'pw', [C, C, 1, 1]);
          bn(`${base}.op.7`, C);
        } else if (DIL[op] !== undefined) {
          const kk = DIL[op]!;
          param(`${base}.op.1.weight`, 'dw', [C, 1, kk, kk]);
          param(`${base}.op.2.weight`, 'pw', [C, C, 1, 1]);
          bn(`${base}.op.3`, C);
        } else if (FULL[op] !== undefined) {
          const kk = FULL[op]!;
          param(`${base}.op.1.weight`, 'hwio', [C, C, kk, kk]);
          bn(`${base}.op.2`, C);
        }
        // 'none' (Zero) has no state.
      });
      // DARTS- (Meituan-AutoML/DARTS-): MixedOp.auxiliary_op after the ops, a FactorizedReduce
      // on stride-2 edges (Identity, no state, on stride 1).
      if (cfg.method === 'darts-minus' && stride === 2) {
        const base = `${cell}._ops.${e.row}.auxiliary_op`;
        param(`${base}.conv_1.weight`, 'pw', [C / 2, C, 1, 1]);
        param(`${base}.conv_2.weight`, 'pw', [C / 2, C, 1, 1]);
        bn(`${base}.bn`, C);
      }
    }
  }
  param('classifier.weight', 'linear', [cfg.numClasses, net.cLast]);
  param('classifier.bias', 'vec', [cfg.numClasses]);
  return out;
}

// ------------------------------------------------------------------ layout permutations

/**
 * For every torch row-major index of `e`, the index of the same value in the run file's tfjs
 * layout: hwio [KH, KW, I, O] for [O, I, KH, KW]; dw [KH, KW, C, 1] for [C, 1, KH, KW]; pw and
 * linear store the transpose [I, O] of [O, I(, 1, 1)]; vec is the identity.
 */
function torchToTfIndex(e: Pick<StateDictEntry, 'layout' | 'torchShape'>, n: number): Int32Array {
  const idx = new Int32Array(n);
  const t = e.torchShape;
  if (e.layout === 'vec') for (let k = 0; k < n; k++) idx[k] = k;
  else if (e.layout === 'hwio') {
    const [O, I, KH, KW] = t;
    for (let o = 0; o < O; o++)
      for (let i = 0; i < I; i++)
        for (let h = 0; h < KH; h++) for (let w = 0; w < KW; w++) idx[((o * I + i) * KH + h) * KW + w] = ((h * KW + w) * I + i) * O + o;
  } else if (e.layout === 'dw') {
    const [C, , KH, KW] = t;
    for (let c = 0; c < C; c++) for (let h = 0; h < KH; h++) for (let w = 0; w < KW; w++) idx[(c * KH + h) * KW + w] = (h * KW + w) * C + c;
  } else {
    const [O, I] = t;
    for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) idx[o * I + i] = i * O + o;
  }
  return idx;
}

/** Run-file (tfjs) data of `e` → torch row-major data. */
export function tfToTorch(e: Pick<StateDictEntry, 'layout' | 'torchShape'>, src: Float32Array): Float32Array {
  const idx = torchToTfIndex(e, src.length);
  const out = new Float32Array(src.length);
  for (let k = 0; k < src.length; k++) out[k] = src[idx[k]];
  return out;
}

/** Torch row-major data of `e` → run-file (tfjs) data. */
export function torchToTf(e: Pick<StateDictEntry, 'layout' | 'torchShape'>, src: Float32Array): Float32Array {
  const idx = torchToTfIndex(e, src.length);
  const out = new Float32Array(src.length);
  for (let k = 0; k < src.length; k++) out[idx[k]] = src[k];
  return out;
}

// ------------------------------------------------------------------ the file

export type FileEntry =
  | { name: string; role: 'parameter' | 'buffer' | 'alpha'; dtype: 'float32'; shape: number[]; offset: number; length: number }
  | { name: string; role: 'buffer'; dtype: 'int64'; shape: number[]; value: number };

/** The JSON header. `config` is present in exports written by the playground. */
export interface StateDictHeader {
  kind: typeof STATE_DICT_KIND;
  version: number;
  /** Who wrote it: "darts-playground" or "torch" (scripts/darts_state_dict.py from-torch). */
  source: string;
  /** The module and the constructor arguments that rebuild it. */
  network: { class: string; args: { C: number; num_classes: number; layers: number; steps: number; multiplier: number; stem_multiplier: number } };
  /** Column names of α and the `_ops.k` order. */
  primitives: string[];
  /** Whether the unmodified quark0/darts Network can load it, and what differs if not. */
  referenceCompatible: boolean;
  notes: string[];
  /** The search method and its settings (methods.ts), for the record. */
  method?: { name: string; label: string; code: string; settings: Record<string, number> };
  config?: SearchConfig;
  dataset?: RunDataset;
  step?: number;
  archSteps?: number;
  entries: FileEntry[];
}

/** Keys of MethodConfig that belong to each method (recorded next to the method name). */
const METHOD_SETTINGS: Record<MethodName, (keyof SearchConfig)[]> = {
  darts: [],
  'pc-darts': ['pcK'],
  'darts-minus': ['auxSkipBeta'],
  'fair-darts': ['fairZeroOneWeight', 'fairThreshold'],
  gdas: ['gdasTauMax', 'gdasTauMin'],
  'sdarts-rs': ['sdartsEpsMin', 'sdartsEpsMax'],
};

/** Why the unmodified reference Network cannot load this config's export (empty: it can). */
export function referenceIncompatibilities(cfg: SearchConfig): string[] {
  const notes: string[] = [];
  if (cfg.ops.join(',') !== PRIMITIVES.join(',')) {
    notes.push(`the ops are [${cfg.ops.join(', ')}], not the 8 reference PRIMITIVES: set genotypes.PRIMITIVES to this list (and add OPS entries for any op the reference lacks) before building the Network`);
  }
  if (cfg.inChannels !== 3) {
    notes.push(`the stem takes ${cfg.inChannels} input channel(s); model_search.Network hard-codes nn.Conv2d(3, C_curr, 3, ...), change that 3 to ${cfg.inChannels}`);
  }
  if (cfg.method === 'darts-minus') {
    notes.push(
      "searched with DARTS- (Meituan-AutoML/DARTS-): the stride-2 edges hold its MixedOp.auxiliary_op FactorizedReduce weights (…auxiliary_op.*); load into DARTS-' model_search.Network, or drop those keys (or use strict=False) for quark0's",
    );
  } else if (cfg.method !== 'darts') {
    notes.push(`searched with ${METHOD_INFO[cfg.method].label} (${METHOD_INFO[cfg.method].code}): the weights have the DARTS layout, but that method's own training code differs (see method.settings)`);
  }
  return notes;
}

/** Refuse what model_search.Network cannot represent. */
function checkMethod(cfg: SearchConfig): void {
  if (cfg.method === 'pc-darts') {
    throw new StateDictError(
      'PC-DARTS runs cannot be exported for quark0/darts: their MixedOps work on 1/K of the channels (pcK) and the edges carry β weights, ' +
        "so the weights do not fit model_search.Network; PC-DARTS' own code (yuhuixu1993/PC-DARTS) has its own model_search with betas.",
    );
  }
}

export interface ExportOptions {
  dataset?: RunDataset;
  /** Include `num_batches_tracked` (default true; false for PyTorch 0.3). */
  numBatchesTracked?: boolean;
}

/**
 * A saved run (weights in tfjs layout under reference names) → the export file bytes.
 * @throws StateDictError naming the missing or misshapen weight, or for PC-DARTS
 */
export function exportStateDict(state: SavedSearchState, opts: ExportOptions = {}): Uint8Array {
  const cfg = state.config;
  checkMethod(cfg);
  const expected = referenceStateDict(cfg, { numBatchesTracked: opts.numBatchesTracked });
  const weights = new Map(state.weights.map((w) => [w.name, w]));
  const buffers = new Map(state.buffers.map((b) => [b.name, b]));
  const known = new Set(expected.map((e) => e.name));
  const extra = [...weights.keys()].filter((n) => !known.has(n));
  if (extra.length) {
    throw new StateDictError(`the run holds weights that model_search.Network has no place for: ${extra.slice(0, 3).map((n) => `"${n}"`).join(', ')}${extra.length > 3 ? ` and ${extra.length - 3} more` : ''}`);
  }
  const entries: FileEntry[] = [];
  const blobs: Float32Array[] = [];
  let offset = 0;
  const addFloat = (name: string, role: 'parameter' | 'buffer' | 'alpha', shape: number[], data: Float32Array) => {
    entries.push({ name, role, dtype: 'float32', shape, offset, length: data.length });
    blobs.push(data);
    offset += data.length;
  };
  for (const e of expected) {
    if (e.dtype === 'int64') {
      entries.push({ name: e.name, role: 'buffer', dtype: 'int64', shape: [], value: state.step });
      continue;
    }
    if (e.role === 'parameter') {
      const w = weights.get(e.name);
      if (!w) throw new StateDictError(`the run has no weight "${e.name}" (torch shape ${shapeText(e.torchShape)}), which its config needs`);
      if (w.data.length !== product(e.tfShape) || shapeText(w.shape) !== shapeText(e.tfShape)) {
        throw new StateDictError(`"${e.name}": the run stores shape ${shapeText(w.shape)}, its config needs ${shapeText(e.tfShape)} (tfjs layout of torch ${shapeText(e.torchShape)})`);
      }
      addFloat(e.name, 'parameter', e.torchShape, tfToTorch(e, w.data));
    } else {
      const b = buffers.get(e.name);
      // Runs saved before the first eval-mode pass still hold the BN initial values: mean 0, var 1.
      const data = b?.data ?? new Float32Array(e.torchShape[0]).fill(e.name.endsWith('running_var') ? 1 : 0);
      if (data.length !== e.torchShape[0]) throw new StateDictError(`"${e.name}": the run stores ${data.length} values, the BN has ${e.torchShape[0]} channels`);
      addFloat(e.name, 'buffer', e.torchShape, data);
    }
  }
  const aShape = [numEdges(cfg.steps), cfg.ops.length];
  addFloat('alphas_normal', 'alpha', aShape, state.alphaNormal);
  addFloat('alphas_reduce', 'alpha', aShape, state.alphaReduce);
  const notes = referenceIncompatibilities(cfg);
  const header: StateDictHeader = {
    kind: STATE_DICT_KIND,
    version: STATE_DICT_VERSION,
    source: 'darts-playground',
    network: {
      class: 'model_search.Network',
      args: { C: cfg.C, num_classes: cfg.numClasses, layers: cfg.layers, steps: cfg.steps, multiplier: cfg.multiplier, stem_multiplier: cfg.stemMultiplier },
    },
    primitives: [...cfg.ops],
    referenceCompatible: notes.length === 0,
    notes,
    method: {
      name: cfg.method,
      label: METHOD_INFO[cfg.method].label,
      code: METHOD_INFO[cfg.method].code,
      settings: Object.fromEntries(METHOD_SETTINGS[cfg.method].map((k) => [k, cfg[k] as number])),
    },
    config: cfg,
    ...(opts.dataset ? { dataset: opts.dataset } : {}),
    step: state.step,
    archSteps: state.archSteps,
    entries,
  };
  return encodeContainer(MAGIC, STATE_DICT_VERSION, header, blobs);
}

// ------------------------------------------------------------------ reading

const count = z.number().int().min(0);
const entrySchema = z.union([
  z.object({ name: z.string().min(1), role: z.enum(['parameter', 'buffer', 'alpha']), dtype: z.literal('float32'), shape: z.array(count), offset: count, length: count }),
  z.object({ name: z.string().min(1), role: z.literal('buffer'), dtype: z.literal('int64'), shape: z.array(count).max(1), value: z.number().int() }),
]);
const headerSchema = z.object({
  kind: z.literal(STATE_DICT_KIND, { error: `"kind" must be "${STATE_DICT_KIND}"` }),
  version: z.number(),
  source: z.string().default('unknown'),
  network: z
    .object({
      class: z.string().default('model_search.Network'),
      args: z.object({ C: count, num_classes: count, layers: count, steps: count, multiplier: count, stem_multiplier: count }).partial().default({}),
    })
    .default({ class: 'model_search.Network', args: {} }),
  primitives: z.array(z.string()).min(1).optional(),
  referenceCompatible: z.boolean().optional(),
  notes: z.array(z.string()).default([]),
  method: z.object({ name: z.string() }).loose().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  dataset: z.object({ name: z.string(), id: z.string().optional(), augment: z.boolean().optional() }).optional(),
  step: count.optional(),
  archSteps: count.optional(),
  entries: z.array(entrySchema).min(1, { error: 'the export holds no entries' }),
});
type ParsedHeader = z.infer<typeof headerSchema>;

function where(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'the header' : path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

/** A decoded export: its header and every tensor by name (float32 data in torch layout, or an int). */
export interface DecodedStateDict {
  header: ParsedHeader;
  tensors: Map<string, { role: 'parameter' | 'buffer' | 'alpha'; shape: number[]; data: Float32Array } | { role: 'buffer'; shape: number[]; value: number }>;
}

const fail = (m: string): never => {
  throw new StateDictError(`This is not a usable PyTorch weights export: ${m}`);
};

/** Check the bytes and read every tensor. @throws StateDictError naming the field or key */
export function decodeStateDict(bytes: Uint8Array): DecodedStateDict {
  const { header: json, floats } = decodeContainer(
    bytes,
    MAGIC,
    'make one with "Export for PyTorch", `darts export-weights`, or `scripts/darts_state_dict.py from-torch`',
    (version) => {
      if (version !== STATE_DICT_VERSION) fail(`format version ${version}; this playground reads version ${STATE_DICT_VERSION}.`);
    },
    fail,
  );
  const parsed = headerSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${where(i.path)}: ${i.message}`);
    return fail(`${issues.join('; ')}.`);
  }
  const header = parsed.data;
  const floatCount = floats.length;
  const tensors: DecodedStateDict['tensors'] = new Map();
  header.entries.forEach((e, i) => {
    const at = `entries[${i}] "${e.name}"`;
    if (tensors.has(e.name)) fail(`${at} appears twice.`);
    if (e.dtype === 'int64') {
      if (product(e.shape) !== 1) fail(`${at}: an int64 entry must hold one value, its shape is ${shapeText(e.shape)}.`);
      tensors.set(e.name, { role: 'buffer', shape: e.shape, value: e.value });
      return;
    }
    if (product(e.shape) !== e.length) fail(`${at} has shape ${shapeText(e.shape)} but ${e.length} values.`);
    if (e.offset + e.length > floatCount) fail(`${at} reaches float ${e.offset + e.length} but the file holds ${floatCount} (truncated).`);
    const data = floats.slice(e.offset, e.offset + e.length);
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) fail(`${at} holds NaN or infinite values (index ${bad}).`);
    tensors.set(e.name, { role: e.role, shape: e.shape, data });
  });
  return { header, tensors };
}

/**
 * The config an export describes when none is given: its own `config` (playground exports), else
 * the reference defaults (spec §3.1, CIFAR-10 32×32) with C, layers, classes, input channels and
 * nodes read off the tensor shapes (spec §1.6: stem.0.weight is [stem_multiplier·C, in, 3, 3]).
 */
export function inferConfig(d: DecodedStateDict): SearchConfig {
  const h = d.header;
  if (h.config) {
    try {
      return validateConfig(h.config);
    } catch (e) {
      const why = e instanceof ConfigError ? e.issues.map((i) => `${i.field}: ${i.message}`).join('; ') : (e as Error).message;
      return fail(`its "config": ${why}`);
    }
  }
  const shape = (name: string) => {
    const t = d.tensors.get(name);
    if (!t || t.shape.length === 0) return fail(`it has no "${name}", so its network cannot be worked out; give the config (--config / --preset).`);
    return t.shape;
  };
  const args = h.network.args;
  const stemMultiplier = args.stem_multiplier ?? DEFAULT_CONFIG.stemMultiplier;
  const stem = shape('stem.0.weight');
  let layers = 0;
  let rows = 0;
  for (const k of d.tensors.keys()) {
    const m = /^cells\.(\d+)\.(?:_ops\.(\d+)\.)?/.exec(k);
    if (m) {
      layers = Math.max(layers, Number(m[1]) + 1);
      if (m[2] !== undefined) rows = Math.max(rows, Number(m[2]) + 1);
    }
  }
  const alpha = d.tensors.get('alphas_normal');
  if (alpha && alpha.shape.length === 2) rows = alpha.shape[0];
  let steps = args.steps ?? 0;
  if (!steps) for (let s = 1; s <= 6; s++) if (numEdges(s) === rows) steps = s;
  if (!steps) fail(`its cells have ${rows} edges, which is no whole number of nodes (2 + 3 + … per node); give the config (--config / --preset).`);
  const guess = {
    ...DEFAULT_CONFIG,
    ops: h.primitives ?? [...PRIMITIVES],
    C: stem[0] / stemMultiplier,
    stemMultiplier,
    inChannels: stem[1],
    layers: args.layers ?? layers,
    numClasses: args.num_classes ?? shape('classifier.weight')[0],
    steps,
    multiplier: args.multiplier ?? steps,
  };
  try {
    return validateConfig(guess);
  } catch (e) {
    const why = e instanceof ConfigError ? e.issues.map((i) => `${i.field}: ${i.message}`).join('; ') : (e as Error).message;
    return fail(`the network read off its shapes (C=${guess.C}, layers=${guess.layers}, ${guess.inChannels} input channels) is not a valid config: ${why}`);
  }
}

export interface ImportOptions {
  /** The config to load into (it must match the export's keys and shapes); default: inferConfig. */
  config?: SearchConfig;
  /** Where the run continues; default: the export's dataset, else synthetic patterns. */
  dataset?: RunDataset;
}

export interface ImportResult {
  state: SavedSearchState;
  dataset: RunDataset;
  /** What the user should know (α missing, optimiser state fresh, …). */
  notes: string[];
}

/**
 * An export (from the playground or from torch) → a SavedSearchState with weights in tfjs layout,
 * BN running statistics and α; SGD momentum, Adam moments and the sampler start fresh.
 * Every key must be one that `config`'s Network has, with its exact torch shape (strict, like
 * torch's `load_state_dict`); up to 5 problems are named at once.
 * @throws StateDictError
 */
export function importStateDict(bytes: Uint8Array, opts: ImportOptions = {}): ImportResult {
  const d = decodeStateDict(bytes);
  const config = opts.config ?? inferConfig(d);
  checkMethod(config);
  const expected = referenceStateDict(config);
  const problems: string[] = [];
  const seen = new Set<string>();
  const weights: SavedSearchState['weights'] = [];
  const buffers: SavedSearchState['buffers'] = [];
  for (const e of expected) {
    const t = d.tensors.get(e.name);
    seen.add(e.name);
    if (e.dtype === 'int64') continue; // optional (PyTorch 0.3 has none) and not used, see above
    if (!t) {
      problems.push(`"${e.name}" is missing (torch shape ${shapeText(e.torchShape)})`);
      continue;
    }
    if (!('data' in t)) {
      problems.push(`"${e.name}" must be float32 data, the file has an int64 value`);
      continue;
    }
    if (shapeText(t.shape) !== shapeText(e.torchShape)) {
      problems.push(`"${e.name}" has shape ${shapeText(t.shape)}, the config needs ${shapeText(e.torchShape)}`);
      continue;
    }
    if (e.role === 'parameter') weights.push({ name: e.name, shape: [...e.tfShape], data: torchToTf(e, t.data) });
    else {
      if (e.name.endsWith('running_var') && t.data.some((v) => v < 0)) problems.push(`"${e.name}" holds a negative variance`);
      buffers.push({ name: e.name, shape: [...e.torchShape], data: t.data });
    }
  }
  const aShape = [numEdges(config.steps), config.ops.length];
  const alpha = (name: string): Float32Array | null => {
    seen.add(name);
    const t = d.tensors.get(name);
    if (!t) return null;
    if (!('data' in t) || shapeText(t.shape) !== shapeText(aShape)) {
      problems.push(`"${name}" has shape ${shapeText(t.shape)}, the config needs ${shapeText(aShape)} (edges × ops)`);
      return null;
    }
    return t.data;
  };
  const an = alpha('alphas_normal');
  const ar = alpha('alphas_reduce');
  const unexpected = [...d.tensors.keys()].filter((k) => !seen.has(k) && !k.endsWith('.num_batches_tracked'));
  for (const k of unexpected.slice(0, 3)) problems.push(`unexpected key "${k}": the config's Network has no such ${d.tensors.get(k)!.role}`);
  if (unexpected.length > 3) problems.push(`and ${unexpected.length - 3} more unexpected keys`);
  if (problems.length) {
    const net = `C=${config.C}, layers=${config.layers}, ${config.numClasses} classes, ${config.steps} nodes, ops [${config.ops.join(', ')}]`;
    fail(`it does not fit the network (${net}): ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}.`);
  }
  const notes: string[] = ['SGD momentum, Adam moments and the batch sampler start fresh (the export holds weights, BN statistics and α only).'];
  if (!an || !ar) notes.push('The file holds no α (a reference weights.pt never does, spec §2): α starts at 0, i.e. uniform softmax.');
  const step = d.header.step ?? 0;
  return {
    state: {
      config,
      step,
      archSteps: d.header.archSteps ?? step,
      weights,
      buffers,
      alphaNormal: an ?? new Float32Array(product(aShape)),
      alphaReduce: ar ?? new Float32Array(product(aShape)),
      momentum: [],
      adam: { t: 0, m: [], v: [] },
      rngState: [],
    },
    dataset: opts.dataset ?? d.header.dataset ?? { name: 'synthetic' },
    notes,
  };
}

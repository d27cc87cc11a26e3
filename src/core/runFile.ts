/**
 * A whole search run as one file (issue 11 item 2): everything the engine needs to continue
 * bit-identically (spec §3: weights, BN running statistics, α, the SGD momentum and Adam moments,
 * the sampler's RNG state, the step counters) plus the dataset it ran on, and optionally the
 * chart history. The browser's "Save run" / "Open run", the autosave and the CLI's
 * `search --save / --resume` all read and write this format.
 *
 * Layout (little-endian):
 *   bytes 0–3   "DRUN"
 *   bytes 4–7   u32 format version (RUN_FILE_VERSION)
 *   bytes 8–11  u32 n = byte length of the JSON header
 *   bytes 12…   the header, UTF-8 JSON (RunFileHeader), then zero padding to a multiple of 4
 *   then        float32 tensor data; each tensor in the header gives its offset and length in floats
 *   (the container stateDict.ts shares: container.ts)
 *
 * `decodeRunFile` checks everything before it returns, so a file that fails is never half-loaded;
 * each problem names the field. Pure TypeScript: no tfjs, no DOM.
 */
import type { SearchConfig } from './config';
import { decodeContainer, encodeContainer } from './container';
import { numEdges } from './searchSpace';
import { validateConfig } from './validateConfig';

export const RUN_FILE_VERSION = 1;
const MAGIC = 'DRUN';

/** The engine's saved state (engine/types.ts EngineState has exactly this shape). */
export interface SavedSearchState {
  config: SearchConfig;
  step: number;
  archSteps: number;
  weights: { name: string; shape: number[]; data: Float32Array }[];
  buffers: { name: string; shape: number[]; data: Float32Array }[];
  alphaNormal: Float32Array;
  alphaReduce: Float32Array;
  /** PC-DARTS' edge-normalisation β [edges] (absent for the other methods). */
  betaNormal?: Float32Array;
  betaReduce?: Float32Array;
  momentum: Float32Array[];
  adam: { t: number; m: Float32Array[]; v: Float32Array[] };
  rngState: number[];
}

/** Which dataset the run searches on (the worker's DatasetSpec, kept as plain JSON here). */
export type RunDataset = { name: string; id?: string; augment?: boolean };

export interface RunFileContent {
  state: SavedSearchState;
  dataset: RunDataset;
  /** ISO time of the save. */
  savedAt: string;
  /** The chart history (step, losses, accuracies per step), for the UI; absent from CLI files. */
  history?: RunHistory;
}

/** Per-step metrics, null where a phase did not run (the store's History minus the α frames). */
export interface RunHistory {
  step: number[];
  trainLoss: (number | null)[];
  trainAcc: (number | null)[];
  valLoss: (number | null)[];
  valAcc: (number | null)[];
}

type Role = 'weight' | 'buffer' | 'alphaNormal' | 'alphaReduce' | 'betaNormal' | 'betaReduce' | 'momentum' | 'adamM' | 'adamV';
interface TensorEntry {
  role: Role;
  name?: string;
  shape: number[];
  offset: number;
  length: number;
}

interface RunFileHeader {
  kind: 'darts-run';
  version: number;
  savedAt: string;
  dataset: RunDataset;
  config: SearchConfig;
  step: number;
  archSteps: number;
  adamT: number;
  rngState: number[];
  tensors: TensorEntry[];
  history?: RunHistory;
}

export class RunFileError extends Error {
  constructor(message: string) {
    super(`This is not a usable run file: ${message}`);
    this.name = 'RunFileError';
  }
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export function encodeRunFile(content: RunFileContent): Uint8Array {
  const s = content.state;
  const tensors: TensorEntry[] = [];
  const blobs: Float32Array[] = [];
  let offset = 0;
  const add = (role: Role, data: Float32Array, shape: number[], name?: string) => {
    tensors.push({ role, ...(name !== undefined ? { name } : {}), shape, offset, length: data.length });
    blobs.push(data);
    offset += data.length;
  };
  for (const w of s.weights) add('weight', w.data, w.shape, w.name);
  for (const b of s.buffers) add('buffer', b.data, b.shape, b.name);
  const alphaShape = [numEdges(s.config.steps), s.config.ops.length];
  add('alphaNormal', s.alphaNormal, alphaShape);
  add('alphaReduce', s.alphaReduce, alphaShape);
  if (s.betaNormal) add('betaNormal', s.betaNormal, [s.betaNormal.length]);
  if (s.betaReduce) add('betaReduce', s.betaReduce, [s.betaReduce.length]);
  s.momentum.forEach((m, i) => add('momentum', m, s.weights[i]?.shape ?? [m.length], s.weights[i]?.name));
  // Adam moments in the order of the architecture variables: α normal, α reduce (, β normal, β reduce).
  const momentShape = (i: number) => (i < 2 ? alphaShape : [s.adam.m[i].length]);
  s.adam.m.forEach((m, i) => add('adamM', m, momentShape(i)));
  s.adam.v.forEach((v, i) => add('adamV', v, momentShape(i)));
  const header: RunFileHeader = {
    kind: 'darts-run',
    version: RUN_FILE_VERSION,
    savedAt: content.savedAt,
    dataset: content.dataset,
    config: s.config,
    step: s.step,
    archSteps: s.archSteps,
    adamT: s.adam.t,
    rngState: s.rngState,
    tensors,
    ...(content.history ? { history: content.history } : {}),
  };
  return encodeContainer(MAGIC, RUN_FILE_VERSION, header, blobs);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;

export function decodeRunFile(bytes: Uint8Array): RunFileContent {
  const fail = (m: string): never => {
    throw new RunFileError(m);
  };
  const { header, dataStart, floats } = decodeContainer(
    bytes,
    MAGIC,
    'save a run with "Save run" or `darts search --save run.darts`',
    (version) => {
      if (version !== RUN_FILE_VERSION) {
        fail(`format version ${version}; this playground reads version ${RUN_FILE_VERSION}${version > RUN_FILE_VERSION ? ' (the file comes from a newer version: update the playground)' : ''}.`);
      }
    },
    fail,
  );
  if (!isObj(header) || header.kind !== 'darts-run') return fail('the header is not a darts-run header ("kind" must be "darts-run").');
  const h = header;

  let config: SearchConfig;
  try {
    config = validateConfig(h.config);
  } catch (e) {
    return fail(`"config": ${(e as Error).message}`);
  }
  for (const k of ['step', 'archSteps', 'adamT'] as const) if (!isCount(h[k])) fail(`"${k}" must be a whole number ≥ 0, got ${JSON.stringify(h[k])}.`);
  if (typeof h.savedAt !== 'string' || Number.isNaN(Date.parse(h.savedAt))) fail('"savedAt" must be an ISO date.');
  if (!isObj(h.dataset) || typeof h.dataset.name !== 'string' || (h.dataset.id !== undefined && typeof h.dataset.id !== 'string')) {
    fail('"dataset" must be {"name": …} (with "id" for a teaching task).');
  }
  if (!Array.isArray(h.rngState) || !h.rngState.every((x) => Number.isInteger(x) && Math.abs(x as number) <= 2 ** 32)) {
    fail('"rngState" must be a list of 32-bit integers.');
  }
  if (!Array.isArray(h.tensors)) return fail('"tensors" must be a list.');

  if (bytes.length < dataStart) fail('the file ends inside its header padding (truncated).');
  const floatCount = floats.length;
  const roles: Record<Role, { name?: string; shape: number[]; data: Float32Array }[]> = {
    weight: [],
    buffer: [],
    alphaNormal: [],
    alphaReduce: [],
    betaNormal: [],
    betaReduce: [],
    momentum: [],
    adamM: [],
    adamV: [],
  };
  h.tensors.forEach((t: unknown, i: number) => {
    const where = `tensors[${i}]`;
    if (!isObj(t)) return fail(`${where} must be an object.`);
    if (!(typeof t.role === 'string' && t.role in roles)) return fail(`${where}.role must be one of ${Object.keys(roles).join(', ')}.`);
    if (!Array.isArray(t.shape) || !t.shape.every(isCount)) return fail(`${where}.shape must be a list of whole numbers.`);
    if (!isCount(t.offset) || !isCount(t.length)) return fail(`${where}.offset and .length must be whole numbers.`);
    const shape = t.shape as number[];
    const [off, len] = [t.offset as number, t.length as number];
    if (product(shape) !== len) fail(`${where} has shape [${shape.join(', ')}] but ${len} values.`);
    if (off + len > floatCount) fail(`${where} reaches float ${off + len} but the file holds ${floatCount} (truncated).`);
    const data = floats.slice(off, off + len);
    if (!data.every(Number.isFinite)) fail(`${where}${typeof t.name === 'string' ? ` (${t.name})` : ''} holds NaN or infinite values.`);
    roles[t.role as Role].push({ ...(typeof t.name === 'string' ? { name: t.name } : {}), shape, data });
  });

  const alphaLen = numEdges(config.steps) * config.ops.length;
  for (const r of ['alphaNormal', 'alphaReduce'] as const) {
    if (roles[r].length !== 1) fail(`exactly one ${r} tensor is needed, found ${roles[r].length}.`);
    if (roles[r][0].data.length !== alphaLen) fail(`${r} holds ${roles[r][0].data.length} values; the config needs ${alphaLen} (edges × ops).`);
  }
  if (roles.weight.length === 0) fail('the file holds no weights.');
  if (roles.weight.some((w) => typeof w.name !== 'string') || roles.buffer.some((b) => typeof b.name !== 'string')) fail('every weight and buffer needs a "name".');
  if (roles.momentum.length !== 0 && roles.momentum.length !== roles.weight.length) {
    fail(`${roles.momentum.length} momentum tensors for ${roles.weight.length} weights (must be 0 or one each).`);
  }
  roles.momentum.forEach((m, i) => {
    if (m.data.length !== roles.weight[i].data.length) fail(`momentum ${i} holds ${m.data.length} values for a weight of ${roles.weight[i].data.length}.`);
  });
  // PC-DARTS carries β (one per edge) for both cell types; the other methods none.
  const E = numEdges(config.steps);
  const wantBeta = config.method === 'pc-darts';
  for (const r of ['betaNormal', 'betaReduce'] as const) {
    if (roles[r].length !== (wantBeta ? 1 : 0)) fail(wantBeta ? `a PC-DARTS run needs exactly one ${r} tensor, found ${roles[r].length}.` : `${r} belongs to PC-DARTS runs only; this run's method is ${config.method}.`);
    if (wantBeta && roles[r][0].data.length !== E) fail(`${r} holds ${roles[r][0].data.length} values; the config needs ${E} (one per edge).`);
  }
  const nArch = wantBeta ? 4 : 2;
  for (const r of ['adamM', 'adamV'] as const) {
    if (roles[r].length !== 0 && roles[r].length !== nArch) fail(`${r}: 0 or ${nArch} tensors (${wantBeta ? 'α normal, α reduce, β normal, β reduce' : 'normal, reduce'}), found ${roles[r].length}.`);
    if (roles[r].some((x, i) => x.data.length !== (i < 2 ? alphaLen : E))) fail(`${r} must match the architecture variables (${alphaLen} values for α${wantBeta ? `, ${E} for β` : ''}).`);
  }
  if ((h.adamT as number) > 0 && roles.adamM.length !== nArch) fail('"adamT" > 0 but the Adam moments are missing.');

  const history = h.history === undefined ? undefined : checkHistory(h.history, fail);
  const d = h.dataset as Record<string, unknown>;
  return {
    savedAt: h.savedAt as string,
    dataset: { name: d.name as string, ...(typeof d.id === 'string' ? { id: d.id } : {}), ...(d.augment === true ? { augment: true } : {}) },
    state: {
      config,
      step: h.step as number,
      archSteps: h.archSteps as number,
      weights: roles.weight.map((w) => ({ name: w.name!, shape: w.shape, data: w.data })),
      buffers: roles.buffer.map((b) => ({ name: b.name!, shape: b.shape, data: b.data })),
      alphaNormal: roles.alphaNormal[0].data,
      alphaReduce: roles.alphaReduce[0].data,
      ...(wantBeta ? { betaNormal: roles.betaNormal[0].data, betaReduce: roles.betaReduce[0].data } : {}),
      momentum: roles.momentum.map((m) => m.data),
      adam: { t: h.adamT as number, m: roles.adamM.map((m) => m.data), v: roles.adamV.map((v) => v.data) },
      rngState: h.rngState as number[],
    },
    ...(history ? { history } : {}),
  };
}

function checkHistory(v: unknown, fail: (m: string) => never): RunHistory {
  if (!isObj(v)) return fail('"history" must be an object.');
  const keys = ['step', 'trainLoss', 'trainAcc', 'valLoss', 'valAcc'] as const;
  const n = Array.isArray(v.step) ? v.step.length : -1;
  for (const k of keys) {
    const a = v[k];
    if (!Array.isArray(a) || a.length !== n) fail(`"history.${k}" must be a list as long as "history.step".`);
    const ok = k === 'step' ? (a as unknown[]).every(isCount) : (a as unknown[]).every((x) => x === null || Number.isFinite(x));
    if (!ok) fail(`"history.${k}" holds a value that is not ${k === 'step' ? 'a step number' : 'a number or null'}.`);
  }
  return { step: v.step as number[], trainLoss: v.trainLoss as (number | null)[], trainAcc: v.trainAcc as (number | null)[], valLoss: v.valLoss as (number | null)[], valAcc: v.valAcc as (number | null)[] };
}

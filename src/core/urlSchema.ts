/**
 * Everything a link can carry, in one typed table: the preset, the dataset, the search config and
 * the view options (TF Playground's `state.ts` property table, anchors §2.1, done with ranges).
 *
 *   #preset=simple-convs&C=8&archLr=0.01&speed=1&hide=ops,backend
 *
 * Each row says its name (the URL key), type, default, range, whether a lecturer may hide its
 * control (the classroom panel, anchors §3.7) and what it means. Only values that differ from
 * their default are written, so links stay short; the defaults of config rows are the chosen
 * preset's values, so `#preset=paper` alone is the whole paper configuration.
 *
 * Decoding never fails. A value that is garbage, out of range, or invalid together with the rest
 * of the config (validateConfig's checks: even sizes before reductions, memory budget, …) falls
 * back to its default, and a notice names it. TF Playground enforced its limits only in the
 * widgets, so hand-edited URLs could break the page (tensorflow/playground#63); here the table is
 * the limit.
 *
 * Pure: no DOM, no worker. src/ui/urlState.ts reads `location` with it, src/ui/urlSync.ts writes it.
 */
import type { SearchConfig } from './config';
import type { DatasetId, PresetName } from './presets';
import { getPreset, getPresetInfo, isPresetName, PRESET_NAMES } from './presets';
import type { OpName } from './primitives';
import { ALL_OPS, canonicalOrder, isOpName } from './primitives';
import { didYouMean } from './suggest';
import { ConfigError, validateConfig } from './validateConfig';
import { quoted } from './quoted';
import { knownClassCount } from './datasetClasses';
import { METHOD_INFO, METHODS } from './methods';

export const DEFAULT_PRESET: PresetName = 'lecture';

/**
 * A dataset a link can name: the same shapes as the worker protocol's DatasetSpec, except the
 * user's own files (`upload`), which cannot travel in a URL.
 */
export type LinkDataset =
  | { name: 'synthetic' }
  | { name: 'mnist'; augment?: boolean }
  | { name: 'fashion-mnist'; augment?: boolean }
  | { name: 'task'; id: string; augment?: boolean };

/** `auto` probes webgpu → webgl → wasm → cpu (src/worker/protocol.ts BACKEND_ORDER). */
export const BACKEND_CHOICES = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
/** The speed menu's steps-per-second caps (src/ui/Controls.tsx); 0 = as fast as possible. */
export const SPEED_CHOICES = [0, 10, 4, 1, 0.5] as const;
/** 'system' follows prefers-color-scheme (src/ui/appearance.ts). */
export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEME_CHOICES)[number];
/**
 * How edge widths encode softmax(α) (src/viz/scales.ts): `relative` follows softmax·K (K ops) on
 * a log scale, so 2× and ½× the uniform weight differ at a glance; `absolute` is linear in softmax.
 */
export const WIDTH_SCALES = ['relative', 'absolute'] as const;
export type WidthScale = (typeof WIDTH_SCALES)[number];

/** Everything a link describes. */
export interface LinkState {
  preset: PresetName;
  dataset: LinkDataset;
  config: SearchConfig;
  backend: BackendChoice;
  /** Start searching as soon as the supernet is built. */
  autoplay: boolean;
  speed: number;
  /** Overlay the derived genotype on the live cells. */
  derived: boolean;
  theme: Theme;
  largeFont: boolean;
  /** Edge width encoding of the cells. */
  widths: WidthScale;
  /** The Compare runs dialog is open (src/ui/compareStore.ts). */
  compare: boolean;
  /** Controls a lecturer hid (names from HIDEABLE_NAMES, in that order). */
  hidden: string[];
}

export type ParamType = 'int' | 'number' | 'enum' | 'bool' | 'list' | 'preset' | 'dataset';

/**
 * One row of the table. Values are compared and written in their URL text form, which is what
 * "only non-default values" means.
 */
export interface ParamRow {
  /** The URL key (CLI flag names where one exists: C, layers, nodes, size, classes, batch, …). */
  readonly name: string;
  /** Short human name, e.g. for the classroom panel. */
  readonly label: string;
  readonly type: ParamType;
  /** The allowed values, in words, e.g. "even integer, 2 to 64". */
  readonly range: string;
  /** May a lecturer hide this control? Its element carries `data-control="<name>"`. */
  readonly hideable: boolean;
  readonly description: string;
  /** Config rows change the SearchConfig; the others change the rest of the LinkState. */
  readonly section: 'link' | 'config' | 'view';
  /** The default, as URL text, for a given preset. */
  defaultText(preset: PresetName): string;
  /** The state's value, as URL text. */
  text(state: LinkState): string;
  /** Parse URL text; on success the change to make. `warning`: part of the value was dropped. */
  read(raw: string, base: SearchConfig): Read;
}

type Read =
  | { ok: true; config?: Partial<SearchConfig>; apply?: (s: LinkState) => void; warning?: string }
  | { ok: false; why: string };

// ------------------------------------------------------------------ codecs

type Parsed<V> = { ok: true; value: V; warning?: string } | { ok: false; why: string };

interface Codec<V> {
  type: ParamType;
  range: string;
  parse(raw: string): Parsed<V>;
  format(v: V): string;
}

/** A finite number from URL text ('' and '1e' and 'abc' are not). */
function toNumber(raw: string): number | undefined {
  const t = raw.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

const intCodec = (name: string, min: number, max: number, even = false): Codec<number> => {
  const range = `${even ? 'even integer' : 'integer'}, ${min} to ${max}`;
  return {
    type: 'int',
    range,
    parse(raw) {
      const n = toNumber(raw);
      if (n === undefined || !Number.isInteger(n) || n < min || n > max) return { ok: false, why: `${name} must be an ${range}` };
      if (even && n % 2 !== 0) {
        return { ok: false, why: `${name} must be even: FactorizedReduce splits its output channels in two halves (spec §1.2)` };
      }
      return { ok: true, value: n };
    },
    format: (v) => String(v),
  };
};

/** A number in (0, max]: learning rates. */
const rateCodec = (name: string, max: number): Codec<number> => ({
  type: 'number',
  range: `number > 0 and ≤ ${max}`,
  parse(raw) {
    const n = toNumber(raw);
    if (n === undefined || n <= 0 || n > max) return { ok: false, why: `${name} must be a number > 0 and ≤ ${max}` };
    return { ok: true, value: n };
  },
  format: (v) => String(v),
});

function enumCodec<T extends string | number>(name: string, choices: readonly T[]): Codec<T> {
  const range = `one of ${choices.join(', ')}`;
  return {
    type: 'enum',
    range,
    parse(raw) {
      const t = raw.trim();
      const hit = choices.find((c) => String(c) === t || (typeof c === 'number' && toNumber(t) === c));
      if (hit === undefined) {
        const hint = typeof choices[0] === 'string' ? didYouMean(t, choices.map(String)) : '';
        return { ok: false, why: `${name} must be ${range}${hint}` };
      }
      return { ok: true, value: hit };
    },
    format: (v) => String(v),
  };
}

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];
const boolCodec = (name: string): Codec<boolean> => ({
  type: 'bool',
  range: '1 or 0 (true/false, yes/no, on/off)',
  parse(raw) {
    const t = raw.trim().toLowerCase();
    if (TRUE.includes(t)) return { ok: true, value: true };
    if (FALSE.includes(t)) return { ok: true, value: false };
    return { ok: false, why: `${name} must be 1 or 0` };
  },
  format: (v) => (v ? '1' : '0'),
});

const splitList = (raw: string) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Op names, comma separated, written in canonical (α column) order. One unknown name voids the list. */
const opsCodec: Codec<OpName[]> = {
  type: 'list',
  range: `comma-separated op names from ${ALL_OPS.join(', ')}`,
  parse(raw) {
    const names = splitList(raw);
    const bad = names.filter((n) => !isOpName(n));
    if (bad.length > 0) {
      return { ok: false, why: `unknown op ${bad.map((b) => `${quoted(b)}${didYouMean(b, ALL_OPS)}`).join(', ')}; valid ops: ${ALL_OPS.join(', ')}` };
    }
    if (names.length === 0) return { ok: false, why: 'ops must name at least one op' };
    return { ok: true, value: canonicalOrder([...new Set(names)] as OpName[]) };
  },
  format: (v) => canonicalOrder(v).join(','),
};

// ------------------------------------------------------------------ hideable groups

/**
 * Controls that are not one table value: panels and button groups a lecturer may hide. Their
 * elements carry `data-control="<name>"` like the hideable rows'.
 */
export const CONTROL_GROUPS: readonly { name: string; label: string; description: string }[] = [
  { name: 'settings', label: 'Settings panel (all hyperparameters)', description: 'The whole settings form with its presets.' },
  { name: 'optimiser', label: 'Optimiser settings', description: 'Learning rates, batch size, search method and DARTS order.' },
  { name: 'search-space', label: 'Search-space settings', description: 'Seed, channels, cells, nodes and candidate ops.' },
  { name: 'steps', label: 'Step buttons', description: 'Step α, Step w and Step both.' },
  { name: 'reset', label: 'Reset menu', description: 'Reset with the same or a new seed.' },
  { name: 'io', label: 'Import / export', description: 'Export genotype, Copy as Python, Import genotype, Export SVG.' },
  { name: 'runfile', label: 'Save / open run', description: 'Save run and Open run (the whole run as a file).' },
];

// ------------------------------------------------------------------ the table

/** Each preset's validated config, computed once (read-only here: defaults are compared, never edited). */
const presetConfigs = new Map<PresetName, SearchConfig>();
function presetConfig(preset: PresetName): SearchConfig {
  let c = presetConfigs.get(preset);
  if (!c) {
    c = getPreset(preset);
    presetConfigs.set(preset, c);
  }
  return c;
}

function configRow<V>(spec: {
  name: string;
  label: string;
  description: string;
  hideable: boolean;
  codec: Codec<V>;
  get: (c: SearchConfig) => V;
  put: (v: V, base: SearchConfig) => Partial<SearchConfig>;
}): ParamRow {
  const { codec } = spec;
  return {
    name: spec.name,
    label: spec.label,
    type: codec.type,
    range: codec.range,
    hideable: spec.hideable,
    description: spec.description,
    section: 'config',
    defaultText: (preset) => codec.format(spec.get(presetConfig(preset))),
    text: (s) => codec.format(spec.get(s.config)),
    read(raw, base) {
      const p = codec.parse(raw);
      return p.ok ? { ok: true, config: spec.put(p.value, base) } : p;
    },
  };
}

type ViewKey = 'backend' | 'autoplay' | 'speed' | 'derived' | 'theme' | 'largeFont' | 'widths' | 'compare';

function viewRow<K extends ViewKey>(spec: {
  name: K;
  label: string;
  description: string;
  hideable: boolean;
  codec: Codec<LinkState[K]>;
  default: LinkState[K];
}): ParamRow {
  const { codec } = spec;
  return {
    name: spec.name,
    label: spec.label,
    type: codec.type,
    range: codec.range,
    hideable: spec.hideable,
    description: spec.description,
    section: 'view',
    defaultText: () => codec.format(spec.default),
    text: (s) => codec.format(s[spec.name]),
    read(raw) {
      const p = codec.parse(raw);
      return p.ok ? { ok: true, apply: (s) => void (s[spec.name] = p.value) } : p;
    },
  };
}

/** The dataset a preset asks for, as far as the browser has it (it ships no CIFAR-10). */
export function presetDataset(preset: PresetName): LinkDataset {
  const d: DatasetId = getPresetInfo(preset).dataset;
  if (d.startsWith('task-')) return { name: 'task', id: d };
  return d === 'mnist' ? { name: 'mnist' } : { name: 'synthetic' };
}

/** Teaching tasks are named by id (src/data/tasks.ts), e.g. `task-xor`. */
const TASK_ID = /^task-[a-z0-9-]{1,40}$/;

/** `mnist`, `task-xor`, …; `+augment` marks augmented training batches (spec §3.2). */
export function formatDataset(d: LinkDataset): string {
  const base = d.name === 'task' ? d.id : d.name;
  return d.name !== 'synthetic' && d.augment ? `${base}+augment` : base;
}

export function parseDataset(raw: string): Parsed<LinkDataset> {
  let t = raw.trim();
  const augment = t.endsWith('+augment') || t.endsWith(' augment'); // '+' may arrive decoded as a space
  if (augment) t = t.slice(0, -'+augment'.length);
  if (augment && t === 'synthetic') return { ok: false, why: 'the synthetic patterns have no augmentation; use synthetic' };
  const aug = augment ? { augment: true } : {};
  if (t === 'synthetic' || t === 'mnist' || t === 'fashion-mnist') return { ok: true, value: { name: t, ...aug } as LinkDataset };
  if (TASK_ID.test(t)) return { ok: true, value: { name: 'task', id: t, ...aug } };
  const why =
    t === 'upload'
      ? 'your own files cannot travel in a link; load them again with the dataset menu'
      : `dataset must be synthetic, mnist, fashion-mnist or a teaching task id (task-…)${didYouMean(t, ['synthetic', 'mnist', 'fashion-mnist'])}`;
  return { ok: false, why };
}

/**
 * The table, in URL order. `preset` comes first because the config rows' defaults depend on it,
 * and `dataset` second because its default does.
 */
export const URL_PARAMS: readonly ParamRow[] = [
  {
    name: 'preset',
    label: 'Preset menu',
    type: 'preset',
    range: `one of ${PRESET_NAMES.join(', ')}`,
    hideable: true,
    description: 'The base configuration; the other config values are changes to it.',
    section: 'link',
    defaultText: () => DEFAULT_PRESET,
    text: (s) => s.preset,
    read(raw) {
      const t = raw.trim();
      if (!isPresetName(t)) return { ok: false, why: `unknown preset "${t}"${didYouMean(t, PRESET_NAMES)}; presets: ${PRESET_NAMES.join(', ')}` };
      return { ok: true, apply: (s) => void (s.preset = t) };
    },
  },
  {
    name: 'dataset',
    label: 'Dataset menu',
    type: 'dataset',
    range: 'synthetic, mnist, fashion-mnist or a teaching task id (task-…), + "+augment" for augmented batches',
    hideable: true,
    description: "The data the supernet searches on (default: the preset's).",
    section: 'link',
    defaultText: (preset) => formatDataset(presetDataset(preset)),
    text: (s) => formatDataset(s.dataset),
    read(raw) {
      const p = parseDataset(raw);
      return p.ok ? { ok: true, apply: (s) => void (s.dataset = p.value) } : p;
    },
  },
  configRow({
    name: 'seed',
    label: 'Seed',
    description: 'Seed of the weights, α and data: the same seed replays the same run.',
    hideable: true,
    codec: intCodec('seed', 0, 2 ** 31 - 1),
    get: (c) => c.seed,
    put: (v) => ({ seed: v }),
  }),
  configRow({
    name: 'lr',
    label: 'Weight learning rate',
    description: 'SGD on the weights, cosine-annealed (spec §3.1: 0.025).',
    hideable: true,
    codec: rateCodec('lr', 1),
    get: (c) => c.lr,
    put: (v) => ({ lr: v }),
  }),
  configRow({
    name: 'archLr',
    label: 'α learning rate',
    description: 'Adam on α (spec §3.1: 3e-4).',
    hideable: true,
    codec: rateCodec('archLr', 1),
    get: (c) => c.archLr,
    put: (v) => ({ archLr: v }),
  }),
  configRow({
    name: 'batch',
    label: 'Batch size',
    description: 'Images per weight batch and per architecture batch.',
    hideable: true,
    codec: intCodec('batch', 2, 256),
    get: (c) => c.batchSize,
    put: (v) => ({ batchSize: v }),
  }),
  configRow({
    name: 'order',
    label: 'DARTS order',
    description: '1 = first order (ξ = 0), 2 = unrolled second order (spec §3.5).',
    hideable: true,
    codec: enumCodec('order', [1, 2] as const),
    get: (c) => c.order,
    put: (v) => ({ order: v }),
  }),
  configRow({
    name: 'method',
    label: 'Search method',
    description: `The search method (spec §6): ${METHODS.map((m) => `${m} (${METHOD_INFO[m].label})`).join(', ')}.`,
    hideable: true,
    codec: enumCodec('method', METHODS),
    get: (c) => c.method,
    put: (v) => ({ method: v }),
  }),
  configRow({
    name: 'pcK',
    label: 'PC-DARTS K',
    description: "PC-DARTS only: 1/K of each edge's channels go through the ops (4 in the paper's code); C must be a multiple of 2·K.",
    hideable: true,
    codec: intCodec('pcK', 1, 64),
    get: (c) => c.pcK,
    put: (v) => ({ pcK: v }),
  }),
  configRow({
    name: 'C',
    label: 'Channels C',
    description: 'Initial channels of the supernet (even).',
    hideable: true,
    codec: intCodec('C', 2, 64, true),
    get: (c) => c.C,
    put: (v) => ({ C: v }),
  }),
  configRow({
    name: 'layers',
    label: 'Cells (layers)',
    description: 'Number of cells; reductions at layers//3 and 2·layers//3 (spec §1.6).',
    hideable: true,
    codec: intCodec('layers', 1, 20),
    get: (c) => c.layers,
    put: (v) => ({ layers: v }),
  }),
  configRow({
    name: 'nodes',
    label: 'Nodes per cell',
    description: 'Intermediate nodes per cell (`steps` in the reference).',
    hideable: true,
    codec: intCodec('nodes', 1, 6),
    get: (c) => c.steps,
    // The cell output concatenates every node unless the preset said otherwise (as in the CLI).
    put: (v, base) => (base.multiplier === base.steps ? { steps: v, multiplier: v } : { steps: v }),
  }),
  configRow({
    name: 'ops',
    label: 'Candidate ops',
    description: 'The op set O on every edge; α has one column per op.',
    hideable: true,
    codec: opsCodec,
    get: (c) => c.ops,
    put: (v) => ({ ops: v }),
  }),
  configRow({
    name: 'size',
    label: 'Input size',
    description: 'Height and width of the input images (data is resized to it).',
    hideable: false,
    codec: intCodec('size', 4, 64),
    get: (c) => c.height,
    put: (v) => ({ height: v, width: v }),
  }),
  configRow({
    name: 'channels',
    label: 'Input channels',
    description: '1 (grayscale) or 3 (RGB).',
    hideable: false,
    codec: enumCodec('channels', [1, 3] as const),
    get: (c) => c.inChannels,
    put: (v) => ({ inChannels: v }),
  }),
  configRow({
    name: 'classes',
    label: 'Classes',
    description: 'Number of classes (MNIST and Fashion-MNIST have 10).',
    hideable: false,
    codec: intCodec('classes', 2, 100),
    get: (c) => c.numClasses,
    put: (v) => ({ numClasses: v }),
  }),
  configRow({
    name: 'epochs',
    label: 'Epochs',
    description: 'Length of the cosine learning-rate schedule (T_max).',
    hideable: false,
    codec: intCodec('epochs', 1, 1000),
    get: (c) => c.epochs,
    put: (v) => ({ epochs: v }),
  }),
  viewRow({
    name: 'backend',
    label: 'Backend switch',
    description: 'Use this tfjs backend instead of probing webgpu → webgl → wasm → cpu.',
    hideable: true,
    codec: enumCodec('backend', BACKEND_CHOICES),
    default: 'auto',
  }),
  viewRow({
    name: 'autoplay',
    label: 'Autoplay',
    description: 'Start searching as soon as the supernet is built.',
    hideable: false,
    codec: boolCodec('autoplay'),
    default: false,
  }),
  viewRow({
    name: 'speed',
    label: 'Speed menu',
    description: 'Cap on steps per second while playing (0 = as fast as possible).',
    hideable: true,
    codec: enumCodec('speed', SPEED_CHOICES),
    default: 0,
  }),
  viewRow({
    name: 'derived',
    label: 'Show derived genotype',
    description: 'Overlay the derived genotype (top-2 edges per node) on the live cells.',
    hideable: true,
    codec: boolCodec('derived'),
    default: false,
  }),
  viewRow({
    name: 'theme',
    label: 'Theme switch',
    description: "Colour theme: system follows the computer's setting.",
    hideable: true,
    codec: enumCodec('theme', THEME_CHOICES),
    default: 'system',
  }),
  viewRow({
    name: 'largeFont',
    label: 'Large-font toggle',
    description: 'Larger text for projectors.',
    hideable: true,
    codec: boolCodec('largeFont'),
    default: false,
  }),
  viewRow({
    name: 'widths',
    label: 'Edge width scale',
    description: 'Edge widths: relative = softmax(α)·K on a log scale (uniform = 1×), absolute = softmax(α) linearly.',
    hideable: true,
    codec: enumCodec('widths', WIDTH_SCALES),
    default: 'relative',
  }),
  viewRow({
    name: 'compare',
    label: 'Compare runs dialog',
    description: 'Open with the Compare runs dialog showing (two runs side by side); written while it is open.',
    hideable: false,
    codec: boolCodec('compare'),
    default: false,
  }),
];

/** Every name that `hide=` accepts: the hideable rows, then the groups. */
export const HIDEABLE_NAMES: readonly string[] = [
  ...URL_PARAMS.filter((r) => r.hideable).map((r) => r.name),
  ...CONTROL_GROUPS.map((g) => g.name),
];

/** Label of a hideable name, for the classroom panel. */
export function hideableLabel(name: string): string {
  return URL_PARAMS.find((r) => r.name === name)?.label ?? CONTROL_GROUPS.find((g) => g.name === name)?.label ?? name;
}

/** Canonical form of a hide list: known names only, each once, in HIDEABLE_NAMES order. */
export function normalizeHidden(names: Iterable<string>): string[] {
  const set = new Set(names);
  return HIDEABLE_NAMES.filter((n) => set.has(n));
}

const HIDE_KEY = 'hide';
/** Every key a link may carry. */
export const URL_KEYS: readonly string[] = [...URL_PARAMS.map((r) => r.name), HIDE_KEY];

// ------------------------------------------------------------------ encode

/** The default state of a preset (what an empty link means, for that preset). */
export function defaultLinkState(preset: PresetName = DEFAULT_PRESET): LinkState {
  return {
    preset,
    dataset: presetDataset(preset),
    config: getPreset(preset),
    backend: 'auto',
    autoplay: false,
    speed: 0,
    derived: false,
    theme: 'system',
    largeFont: false,
    widths: 'relative',
    compare: false,
    hidden: [],
  };
}

/** Characters left readable in values: list commas, task-id colons. */
const encodeValue = (v: string) => encodeURIComponent(v).replace(/%2C/gi, ',').replace(/%3A/gi, ':');

/** The link's key/value pairs that differ from their defaults, in table order. */
export function linkEntries(state: LinkState): [string, string][] {
  const out: [string, string][] = [];
  for (const row of URL_PARAMS) {
    const v = row.text(state);
    if (v !== row.defaultText(state.preset)) out.push([row.name, v]);
  }
  const hidden = normalizeHidden(state.hidden);
  if (hidden.length > 0) out.push([HIDE_KEY, hidden.join(',')]);
  return out;
}

/** The URL hash (without '#') for a state: only non-default values; '' when all are defaults. */
export function encodeLink(state: LinkState): string {
  return linkEntries(state)
    .map(([k, v]) => `${k}=${encodeValue(v)}`)
    .join('&');
}

// ------------------------------------------------------------------ decode

/** A value from the URL that was not used. */
export interface InvalidValue {
  name: string;
  /** The URL text as given. */
  value: string;
  why: string;
  /** What is used instead, as URL text (absent when only part of a list was dropped). */
  fallback?: string;
}

export interface DecodedLink {
  state: LinkState;
  /** Values that were dropped, each with the reason. */
  invalid: InvalidValue[];
  /** Keys that are not in the table (only reported for the hash, the link's own part). */
  unknownKeys: string[];
  /** One sentence per problem, for the page's notice area. Empty when the link was clean. */
  notices: string[];
}

/** Key/value pairs of a `?query` or `#hash` string (either prefix optional; '+' is not a space here). */
export function linkPairs(text: string): [string, string][] {
  const body = text.replace(/^[?#]/, '');
  if (body === '') return [];
  const pairs: [string, string][] = [];
  for (const part of body.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    try {
      pairs.push([decodeURIComponent(k), decodeURIComponent(v)]);
    } catch {
      pairs.push([k, v]); // a stray '%': keep the raw text, the row's check will name it
    }
  }
  return pairs;
}

/**
 * Fields whose issues come from the method's needs (validateConfig's methodIssues: PC-DARTS' pcK
 * against C, GDAS' order, DARTS-' skip_connect, the schedules' min ≤ max): when no given row sets
 * the field itself, the `method` row asked for it, so it is the one to fall back.
 */
const METHOD_FIELDS = new Set(['pcK', 'order', 'ops', 'gdasTauMin', 'sdartsEpsMin']);

/** Which rows set a config field (to blame when validateConfig rejects the combination). */
function rowsSetting(field: string, given: Map<string, Partial<SearchConfig>>): string[] {
  const rows = [...given].filter(([, part]) => field in part).map(([name]) => name);
  return rows.length === 0 && METHOD_FIELDS.has(field) && given.has('method') ? ['method'] : rows;
}

/**
 * Decode a link. `query` is the legacy `?preset=…&C=…` form (unknown keys there are ignored: other
 * tools may add their own); `hash` is the canonical form and wins over the query, key by key.
 */
export function decodeLink(query: string, hash = ''): DecodedLink {
  const raw = new Map<string, string>();
  const unknownKeys: string[] = [];
  for (const [k, v] of linkPairs(query)) if (URL_KEYS.includes(k)) raw.set(k, v);
  for (const [k, v] of linkPairs(hash)) {
    if (URL_KEYS.includes(k)) raw.set(k, v);
    else if (!unknownKeys.includes(k)) unknownKeys.push(k);
  }
  // An empty value (`C=`) means "not given", as before.
  for (const [k, v] of [...raw]) if (v.trim() === '') raw.delete(k);

  const invalid: InvalidValue[] = [];
  const notices: string[] = [];

  // 1. The preset: the other rows' defaults depend on it.
  let preset = DEFAULT_PRESET;
  const presetRow = URL_PARAMS[0];
  const presetText = raw.get('preset');
  if (presetText !== undefined) {
    const r = presetRow.read(presetText, getPreset(DEFAULT_PRESET));
    if (r.ok) {
      const s = defaultLinkState();
      r.apply?.(s);
      preset = s.preset;
    } else invalid.push({ name: 'preset', value: presetText, why: r.why, fallback: DEFAULT_PRESET });
  }
  const state = defaultLinkState(preset);
  const base = state.config;

  // 2. Every other row: parse, and keep config changes apart until they are validated together.
  const given = new Map<string, Partial<SearchConfig>>();
  for (const row of URL_PARAMS.slice(1)) {
    const text = raw.get(row.name);
    if (text === undefined) continue;
    const r = row.read(text, base);
    if (!r.ok) {
      invalid.push({ name: row.name, value: text, why: r.why, fallback: row.defaultText(preset) });
      continue;
    }
    if (r.config) given.set(row.name, r.config);
    r.apply?.(state);
  }

  // 3. The config as a whole (validateConfig: even sizes before reductions, memory budget, …).
  //    Rows named by an issue fall back; an issue no given row caused voids them all.
  for (;;) {
    const merged = Object.assign({}, ...given.values()) as Partial<SearchConfig>;
    try {
      state.config = validateConfig({ ...base, ...merged });
      break;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      const blamed = new Set<string>();
      for (const issue of e.issues) {
        const rows = rowsSetting(issue.field, given);
        for (const name of rows.length > 0 ? rows : [...given.keys()]) {
          if (blamed.has(name)) continue;
          blamed.add(name);
          const why = rows.length > 0 ? issue.message : `together with the other URL settings: ${issue.message}`;
          invalid.push({ name, value: raw.get(name) ?? '', why, fallback: URL_PARAMS.find((r) => r.name === name)?.defaultText(preset) });
        }
      }
      for (const name of blamed) given.delete(name);
      if (blamed.size === 0) {
        state.config = base; // cannot happen (a preset is valid), but never loop
        break;
      }
    }
  }

  // 4. Built-in image datasets have 10 classes (src/data/imageDataset.ts refuses others), the
  // teaching tasks 4 (src/data/tasks.ts). A dataset named without `classes` brings its own count;
  // a `classes` that contradicts the dataset is refused with the dataset's count as the fallback.
  const needed = knownClassCount(state.dataset.name);
  if (needed !== null && state.config.numClasses !== needed) {
    const d = state.dataset.name === 'task' ? state.dataset.id : state.dataset.name;
    if (given.has('classes')) invalid.push({ name: 'classes', value: raw.get('classes') ?? '', why: `${d} has ${needed} classes`, fallback: String(needed) });
    state.config = { ...state.config, numClasses: needed };
  }

  // 5. The hide list: unknown names are dropped, the rest is kept.
  const hideText = raw.get(HIDE_KEY);
  if (hideText !== undefined) {
    const names = splitList(hideText);
    const bad = names.filter((n) => !HIDEABLE_NAMES.includes(n));
    state.hidden = normalizeHidden(names);
    if (bad.length > 0) {
      invalid.push({
        name: HIDE_KEY,
        value: bad.join(','),
        why: `unknown control ${bad.map((b) => `"${b}"${didYouMean(b, HIDEABLE_NAMES)}`).join(', ')}; controls: ${HIDEABLE_NAMES.join(', ')}`,
      });
    }
  }

  if (invalid.length > 0) {
    const items = invalid.map((i) => `${i.name}=${i.value} (${i.why})${i.fallback !== undefined ? ` → ${i.name}=${i.fallback}` : ''}`);
    notices.push(`Some URL settings were ignored and fall back to their defaults: ${items.join('; ')}.`);
  }
  if (unknownKeys.length > 0) {
    const items = unknownKeys.map((k) => `"${k}"${didYouMean(k, URL_KEYS)}`);
    notices.push(`Unknown URL setting${unknownKeys.length > 1 ? 's' : ''} ${items.join(', ')} ignored. Known: ${URL_KEYS.join(', ')}.`);
  }
  if (getPresetInfo(preset).dataset === 'cifar10' && raw.get('dataset') === undefined) {
    notices.push(
      `The "${preset}" preset is meant for CIFAR-10, which the browser app does not ship: it searches on synthetic ` +
        `patterns of the same shape (${base.height}×${base.width}×${base.inChannels}). ${getPresetInfo(preset).description}`,
    );
  }
  return { state, invalid, unknownKeys, notices };
}

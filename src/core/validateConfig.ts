/**
 * Validation of a (partial) search configuration: the single gate through which the UI, the URL
 * state, the CLI and the presets turn user input into a `SearchConfig`.
 *
 * Two layers:
 * 1. zod checks every field's type and range (one message per field, saying what is allowed).
 * 2. Semantic checks that involve several fields or the network shape: op list, multiplier ≤
 *    steps, lrMin ≤ lr, even spatial sizes before every reduction (FactorizedReduce, spec §1.2),
 *    and the memory budget (memory.ts). They run only when layer 1 passed, since they need
 *    well-typed numbers.
 * Every problem becomes one `{ field, message }` issue; all issues are reported at once in a
 * `ConfigError` whose message says what to change.
 */
import { z } from 'zod';
import type { SearchConfig } from './config';
import { DEFAULT_CONFIG } from './config';
import type { OpName } from './primitives';
import { ALL_OPS, canonicalOrder, isOpName } from './primitives';
import { networkPlan } from './searchSpace';
import { estimateStepBytes, formatBytes, largestBatchWithin } from './memory';
import { parseJsonText } from './jsonText';
import { didYouMean } from './suggest';
import { quoted } from './quoted';
import { METHODS } from './methods';

// No JIT-compiled validators: zod would probe `new Function('')`, which the page's CSP (no
// unsafe-eval) refuses, and every probe is a reported CSP violation.
z.config({ jitless: true });

/** One problem with a configuration: the field to change and what to change it to. */
export interface ConfigIssue {
  field: string;
  message: string;
}

/** Thrown by `validateConfig`, `parseConfigJson` and `getPreset`; lists every problem found. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    const lines = issues.map((i) => `- ${i.field}: ${i.message}`);
    super(`Invalid search configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

const int = (field: string, min: number, max?: number) => {
  const range = max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
  let s = z
    .number({ error: `${field} must be a number (an integer ${range})` })
    .int({ error: `${field} must be an integer ${range}` })
    .min(min, { error: `${field} must be an integer ${range}` });
  if (max !== undefined) s = s.max(max, { error: `${field} must be an integer ${range}` });
  return s;
};
const positive = (field: string) =>
  z.number({ error: `${field} must be a number > 0` }).gt(0, { error: `${field} must be > 0` });
const nonNegative = (field: string) =>
  z.number({ error: `${field} must be a number >= 0` }).min(0, { error: `${field} must be >= 0` });
const unitInterval = (field: string) =>
  z
    .number({ error: `${field} must be a number in [0, 1)` })
    .min(0, { error: `${field} must be in [0, 1)` })
    .lt(1, { error: `${field} must be in [0, 1) (1 would never forget old gradients)` });

/** Field types and ranges (layer 1). Every field is required here: defaults are merged first. */
const schema = z.strictObject({
  ops: z.array(z.string({ error: 'ops must contain op names (strings)' }), {
    error: `ops must be a list of op names, e.g. ["sep_conv_3x3", "skip_connect"]; valid: ${ALL_OPS.join(', ')}`,
  }),
  steps: int('steps', 1, 6),
  multiplier: int('multiplier', 1, 6),
  C: int('C', 2).refine((n) => n % 2 === 0, {
    error: 'C must be even: FactorizedReduce splits its output channels in two halves (spec §1.2); e.g. 4, 8 or 16',
  }),
  layers: int('layers', 1, 64),
  stemMultiplier: int('stemMultiplier', 1, 16),
  inChannels: z.union([z.literal(1), z.literal(3)], {
    error: 'inChannels must be 1 (grayscale, e.g. MNIST) or 3 (RGB, e.g. CIFAR-10)',
  }),
  height: int('height', 2, 4096),
  width: int('width', 2, 4096),
  numClasses: int('numClasses', 2, 10000),
  batchSize: z
    .number({ error: 'batchSize must be an integer >= 2' })
    .int({ error: 'batchSize must be an integer >= 2' })
    .min(2, { error: 'batchSize must be >= 2: BatchNorm uses batch statistics, which need at least 2 samples' }),
  lr: positive('lr'),
  lrMin: nonNegative('lrMin'),
  momentum: unitInterval('momentum'),
  weightDecay: nonNegative('weightDecay'),
  gradClip: positive('gradClip'),
  epochs: int('epochs', 1, 100000),
  archLr: positive('archLr'),
  archBeta1: unitInterval('archBeta1'),
  archBeta2: unitInterval('archBeta2'),
  archEps: positive('archEps'),
  archWeightDecay: nonNegative('archWeightDecay'),
  order: z.union([z.literal(1), z.literal(2)], {
    error: 'order must be 1 (first-order DARTS, the default) or 2 (unrolled second order, spec §3.5)',
  }),
  trainPortion: z
    .number({ error: 'trainPortion must be a number strictly between 0 and 1 (0.5 in the reference)' })
    .gt(0, { error: 'trainPortion must be strictly between 0 and 1 (0.5 in the reference)' })
    .lt(1, { error: 'trainPortion must be strictly between 0 and 1 (0.5 in the reference)' }),
  seed: z
    .number({ error: 'seed must be an integer' })
    .int({ error: 'seed must be an integer (a safe integer, e.g. 2)' }),
  memoryBudgetBytes: positive('memoryBudgetBytes'),
  method: z.enum(METHODS, { error: `method must be one of ${METHODS.join(', ')} (spec §6)` }),
  pcK: int('pcK', 1, 64),
  auxSkipBeta: nonNegative('auxSkipBeta'),
  fairZeroOneWeight: nonNegative('fairZeroOneWeight'),
  fairThreshold: z.number({ error: 'fairThreshold must be a number in [0, 1]' }).min(0, { error: 'fairThreshold must be in [0, 1]' }).max(1, { error: 'fairThreshold must be in [0, 1]' }),
  gdasTauMax: positive('gdasTauMax'),
  gdasTauMin: positive('gdasTauMin'),
  sdartsEpsMin: nonNegative('sdartsEpsMin'),
  sdartsEpsMax: nonNegative('sdartsEpsMax'),
  archWarmupEpochs: int('archWarmupEpochs', 0, 100000),
});

const CONFIG_KEYS = Object.keys(DEFAULT_CONFIG);

/** Layer 2a: unknown names, duplicates, at least one real op. */
function opsIssues(ops: readonly string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const valid = ALL_OPS.join(', ');
  for (const op of ops) {
    if (!isOpName(op)) {
      issues.push({ field: 'ops', message: `unknown op ${quoted(op)}${didYouMean(op, ALL_OPS)}; valid ops: ${valid}` });
    }
  }
  const seen = new Set<string>();
  for (const op of ops) {
    if (seen.has(op)) issues.push({ field: 'ops', message: `"${op}" is listed twice; list each op once` });
    seen.add(op);
  }
  if (!ops.some((op) => op !== 'none' && isOpName(op))) {
    issues.push({
      field: 'ops',
      message: `ops needs at least one op other than "none" (the derivation ignores "none", spec §4.1); valid ops: ${valid}`,
    });
  }
  return issues;
}

/** Label of a reduction cell index as in the reference: layers//3 and/or 2*layers//3. */
function reductionLabel(index: number, layers: number): string {
  const a = Math.floor(layers / 3);
  const b = Math.floor((2 * layers) / 3);
  if (index === a && index === b) return `layers//3 = 2*layers//3 = ${index}`;
  return index === a ? `layers//3 = ${a}` : `2*layers//3 = ${b}`;
}

/**
 * Layer 2b: every tensor entering a stride-2 edge or a FactorizedReduce must have an even
 * height and width (spec §1.2, quark0/darts #84). Walk networkPlan and report the first cell
 * where each dimension goes odd, with a concrete suggestion.
 */
function spatialIssues(cfg: SearchConfig): ConfigIssue[] {
  const plan = networkPlan(cfg);
  const factor = 2 ** plan.reductionCells.length; // even before each of r reductions: divisible by 2^r
  const issues: ConfigIssue[] = [];
  for (const dim of ['height', 'width'] as const) {
    const original = cfg[dim];
    for (const cell of plan.cells) {
      // s1 of a reduction cell feeds its stride-2 edges; s0 of a cell after a reduction feeds a
      // FactorizedReduce preprocess.
      const checks: { size: number; where: string }[] = [];
      if (cell.reduction) {
        checks.push({
          size: dim === 'height' ? cell.inH : cell.inW,
          where: `reduction cell ${cell.index} (${reductionLabel(cell.index, cfg.layers)})`,
        });
      }
      if (cell.pre0 === 'fr') {
        checks.push({
          size: dim === 'height' ? cell.inH0 : cell.inW0,
          where: `the FactorizedReduce preprocessing of cell ${cell.index}`,
        });
      }
      const bad = checks.find((c) => c.size % 2 !== 0);
      if (!bad) continue;
      const lo = Math.floor(original / factor) * factor;
      const examples = [lo, lo + factor].filter((v) => v >= factor);
      const head = bad.size === original ? `${dim} ${original} is odd before ${bad.where}` : `${dim} ${original} becomes ${bad.size} before ${bad.where}`;
      issues.push({
        field: dim,
        message: `${head}; FactorizedReduce needs an even size: use a ${dim} divisible by ${factor}, e.g. ${examples.join(' or ')}`,
      });
      break;
    }
  }
  return issues;
}

/** Layer 2b': what a method needs from the rest of the config (spec §6). */
function methodIssues(cfg: SearchConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (cfg.method === 'pc-darts' && cfg.C % (2 * cfg.pcK) !== 0) {
    issues.push({
      field: 'pcK',
      message: `PC-DARTS sends C/K channels through the ops and their FactorizedReduce halves them again, so C (${cfg.C}) must be a multiple of 2·pcK (${2 * cfg.pcK}); e.g. C ${2 * cfg.pcK * Math.max(1, Math.round(cfg.C / (2 * cfg.pcK)))} or pcK ${[1, 2, 4, 8].filter((k) => cfg.C % (2 * k) === 0).pop() ?? 1}`,
    });
  }
  if (cfg.method === 'gdas' && cfg.order !== 1) issues.push({ field: 'order', message: 'GDAS is first order (its code has no unrolled step); use order 1' });
  if (cfg.gdasTauMin > cfg.gdasTauMax) issues.push({ field: 'gdasTauMin', message: `gdasTauMin ${cfg.gdasTauMin} is above gdasTauMax ${cfg.gdasTauMax}: τ anneals from max down to min` });
  if (cfg.sdartsEpsMin > cfg.sdartsEpsMax) issues.push({ field: 'sdartsEpsMin', message: `sdartsEpsMin ${cfg.sdartsEpsMin} is above sdartsEpsMax ${cfg.sdartsEpsMax}: ε ramps up from min to max` });
  return issues;
}

/** Layer 2c: the analytic peak-memory estimate must fit the budget. */
function memoryIssues(cfg: SearchConfig): ConfigIssue[] {
  const est = estimateStepBytes(cfg);
  if (est <= cfg.memoryBudgetBytes) return [];
  const fit = largestBatchWithin(cfg, cfg.memoryBudgetBytes);
  const hint = fit >= 2 ? ` (batchSize ${fit} would fit)` : '';
  return [
    {
      field: 'memoryBudgetBytes',
      message:
        `one search step needs an estimated ${formatBytes(est)}, above the budget of ` +
        `${formatBytes(cfg.memoryBudgetBytes)}: lower batchSize (${cfg.batchSize})${hint}, C (${cfg.C}), ` +
        `layers (${cfg.layers}) or the input size (${cfg.height}×${cfg.width}), or raise memoryBudgetBytes`,
    },
  ];
}

/**
 * Validate a partial configuration and return the full, normalised `SearchConfig`.
 *
 * Missing fields take `DEFAULT_CONFIG` values (spec §3.1), except `multiplier`, which defaults to
 * the (possibly given) `steps`. `ops` come back in canonical order (the α column order, spec §1.1).
 * Unknown keys are rejected with a "did you mean" hint.
 *
 * @throws ConfigError listing every problem and what to change
 */
export function validateConfig(partial: unknown): SearchConfig {
  if (partial !== undefined && (partial === null || typeof partial !== 'object' || Array.isArray(partial))) {
    throw new ConfigError([{ field: '(config)', message: 'the configuration must be an object of settings, e.g. {"C": 8, "layers": 5}' }]);
  }
  const given = (partial ?? {}) as Record<string, unknown>;
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(given)) {
    if (!CONFIG_KEYS.includes(key)) {
      issues.push({ field: key, message: `unknown setting "${key}"${didYouMean(key, CONFIG_KEYS)}; valid settings: ${CONFIG_KEYS.join(', ')}` });
    }
  }
  const known = Object.fromEntries(Object.entries(given).filter(([k, v]) => CONFIG_KEYS.includes(k) && v !== undefined));
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIG, ...known };
  if (known.multiplier === undefined) merged.multiplier = merged.steps;

  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    for (const iss of parsed.error.issues) {
      // A defaulted multiplier (= steps) is only wrong because steps is: report steps alone.
      if (iss.path[0] === 'multiplier' && known.multiplier === undefined) continue;
      issues.push({ field: iss.path.length ? String(iss.path[0]) : '(config)', message: iss.message });
    }
  }
  if (!parsed.success || issues.length) throw new ConfigError(issues);

  const raw = parsed.data;
  const opIssues = opsIssues(raw.ops);
  issues.push(...opIssues);
  if (raw.multiplier > raw.steps) {
    issues.push({
      field: 'multiplier',
      message: `multiplier ${raw.multiplier} is larger than steps ${raw.steps}: the cell output concatenates the last multiplier of its ${raw.steps} nodes; use 1..${raw.steps}`,
    });
  }
  if (raw.lrMin > raw.lr) {
    issues.push({ field: 'lrMin', message: `lrMin ${raw.lrMin} is above lr ${raw.lr}: the cosine schedule anneals lr down to lrMin (spec §3.1)` });
  }
  const cfg: SearchConfig = { ...raw, ops: opIssues.length ? [] : canonicalOrder(raw.ops as OpName[]) };
  issues.push(...spatialIssues(cfg), ...methodIssues(cfg));
  if (issues.length) throw new ConfigError(issues);
  issues.push(...memoryIssues(cfg));
  if (issues.length) throw new ConfigError(issues);
  return cfg;
}

/**
 * Parse and validate a JSON configuration (CLI `--config`, the UI's import box).
 * Malformed JSON gives a ConfigError whose message includes the line, column and offset.
 */
export function parseConfigJson(text: string): SearchConfig {
  const r = parseJsonText(text);
  if (!r.ok) {
    throw new ConfigError([{ field: '(json)', message: `malformed JSON at ${r.message} (offset ${r.offset})` }]);
  }
  return validateConfig(r.value);
}

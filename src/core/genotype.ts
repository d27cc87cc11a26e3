/**
 * The Genotype: the discrete cell that DARTS derives from α (spec §4.1) and that the evaluation
 * network consumes (spec §4.4). Same information as the reference namedtuple
 * `Genotype(normal, normal_concat, reduce, reduce_concat)`; JSON format in design.md.
 *
 * This file holds the type, validation and the JSON format. Derivation from α lives in
 * `derive.ts`, the reference repr (`Genotype(normal=[('sep_conv_3x3', 1), ...], ...)`) in
 * `genotypeRepr.ts`; both are re-exported here.
 */
import type { GenotypeOpName } from './primitives';
import { ALL_OPS, EVAL_ONLY_OPS } from './primitives';
import { parseJsonText } from './jsonText';
import { parseGenotypeReprRaw } from './genotypeRepr';
import { didYouMean } from './suggest';
import { quoted } from './quoted';

export { deriveGenotype, deriveCell, softmaxRows, rowsFromFlat } from './derive';
export type { AlphaRows } from './derive';
export { printGenotypeRepr } from './genotypeRepr';

/** One genotype entry: (op, input state). Input 0 = c_{k-2}, 1 = c_{k-1}, j ≥ 2 = node j-2. */
export type GenotypePair = [GenotypeOpName, number];

/**
 * A discrete architecture. Pairs 2i and 2i+1 feed intermediate node i (spec §4.1); the concat
 * lists are the states concatenated into the cell output (state index, 2 = node 0).
 */
export interface Genotype {
  normal: GenotypePair[];
  normal_concat: number[];
  reduce: GenotypePair[];
  reduce_concat: number[];
}

/** Ops a genotype may name: every search op except `none`, plus the eval-only ops (spec §1.1). */
export const GENOTYPE_OPS: readonly GenotypeOpName[] = [
  ...ALL_OPS.filter((o): o is Exclude<(typeof ALL_OPS)[number], 'none'> => o !== 'none'),
  ...EVAL_ONLY_OPS,
];

export function isGenotypeOpName(s: string): s is GenotypeOpName {
  return (GENOTYPE_OPS as readonly string[]).includes(s);
}

export type GenotypeResult = { ok: true; genotype: Genotype } | { ok: false; errors: string[] };

const FIELDS = ['normal', 'normal_concat', 'reduce', 'reduce_concat'] as const;

/** A short description of an offending value for messages. */
function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `a list ${truncate(JSON.stringify(x))}`;
  if (typeof x === 'string') return `the string ${JSON.stringify(x)}`;
  if (typeof x === 'object') return `an object ${truncate(JSON.stringify(x))}`;
  if (x === undefined) return 'nothing';
  return `${typeof x} ${String(x)}`;
}
const truncate = (s: string) => (s.length > 40 ? `${s.slice(0, 37)}...` : s);

/** Check one pair list; returns its errors and, if they are all fine, the typed pairs. */
function checkPairs(field: 'normal' | 'reduce', x: unknown, errors: string[]): GenotypePair[] | undefined {
  if (!Array.isArray(x)) {
    errors.push(`${field} must be a list of [op, input] pairs, e.g. [["sep_conv_3x3", 0], ["skip_connect", 1]]; got ${describe(x)}`);
    return undefined;
  }
  const before = errors.length;
  if (x.length === 0) errors.push(`${field} is empty; it needs 2 [op, input] pairs per intermediate node (8 for the DARTS cell)`);
  else if (x.length % 2 !== 0) {
    errors.push(`${field} has ${x.length} pairs, an odd number; it needs exactly 2 pairs per intermediate node (pairs 2i and 2i+1 feed node i)`);
  }
  const pairs: GenotypePair[] = [];
  x.forEach((p: unknown, k: number) => {
    const node = Math.floor(k / 2);
    const where = `${field}[${k}] (node ${node})`;
    if (!Array.isArray(p) || p.length !== 2) {
      errors.push(`${where} must be a pair [op, input], e.g. ["sep_conv_3x3", 0]; got ${describe(p)}`);
      return;
    }
    const [op, input] = p as [unknown, unknown];
    let ok = true;
    if (typeof op !== 'string') {
      errors.push(`${where}: the op must be a name string such as "sep_conv_3x3" (names, never indices); got ${describe(op)}`);
      ok = false;
    } else if (op === 'none') {
      errors.push(`${where}: "none" cannot be part of a genotype (the derivation excludes it, spec §4.1); valid ops: ${GENOTYPE_OPS.join(', ')}`);
      ok = false;
    } else if (!isGenotypeOpName(op)) {
      errors.push(`${where}: unknown op ${quoted(op)}${didYouMean(op, GENOTYPE_OPS)}; valid ops: ${GENOTYPE_OPS.join(', ')}`);
      ok = false;
    }
    if (typeof input !== 'number' || !Number.isInteger(input)) {
      errors.push(`${where}: the input must be an integer state index; got ${describe(input)}`);
      ok = false;
    } else if (input < 0 || input > node + 1) {
      errors.push(
        `${where} has input ${input}, but pairs ${2 * node} and ${2 * node + 1} feed node ${node}, whose inputs must be 0..${node + 1} ` +
          `(0 = c_{k-2}, 1 = c_{k-1}, j >= 2 = node j-2)`,
      );
      ok = false;
    }
    if (ok) pairs.push([op as GenotypeOpName, input as number]);
  });
  return errors.length === before ? pairs : undefined;
}

/** Check a concat list against the node count of its pair list (when that is known). */
function checkConcat(field: 'normal_concat' | 'reduce_concat', x: unknown, steps: number | undefined, errors: string[]): number[] | undefined {
  if (!Array.isArray(x)) {
    errors.push(`${field} must be a list of state indices, e.g. [2, 3, 4, 5]; got ${describe(x)}`);
    return undefined;
  }
  const before = errors.length;
  const allowed = steps === undefined ? 'the intermediate states (2 = node 0, 3 = node 1, ...)' : `2..${steps + 1} (the ${steps} intermediate node${steps === 1 ? '' : 's'})`;
  if (x.length === 0) errors.push(`${field} is empty; it lists the states concatenated into the cell output: ${allowed}`);
  const seen = new Set<number>();
  x.forEach((c: unknown, k: number) => {
    if (typeof c !== 'number' || !Number.isInteger(c)) {
      errors.push(`${field}[${k}] must be an integer state index; got ${describe(c)}`);
      return;
    }
    if (c < 2 || (steps !== undefined && c > steps + 1)) {
      errors.push(`${field}[${k}] is ${c}, out of range: concat entries must index ${allowed}`);
    }
    if (seen.has(c)) errors.push(`${field} lists state ${c} twice; each state may be concatenated once`);
    seen.add(c);
  });
  return errors.length === before ? (x as number[]) : undefined;
}

/**
 * Validate anything that claims to be a genotype (parsed JSON, a parsed repr). Unknown keys (such
 * as an export's "meta") are ignored. Returns a clean `Genotype` with just the four fields, or one
 * message per problem: missing field, wrong type, odd length, unknown op, bad input index, bad concat.
 */
export function validateGenotype(x: unknown): GenotypeResult {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) {
    return { ok: false, errors: [`a genotype must be an object with fields ${FIELDS.join(', ')}; got ${describe(x)}`] };
  }
  const obj = x as Record<string, unknown>;
  const errors: string[] = [];
  for (const f of FIELDS) {
    if (!(f in obj) || obj[f] === undefined) errors.push(`missing field "${f}" (a genotype needs ${FIELDS.join(', ')})`);
  }
  const stepsOf = (v: unknown) => (Array.isArray(v) && v.length > 0 && v.length % 2 === 0 ? v.length / 2 : undefined);
  const normal = 'normal' in obj ? checkPairs('normal', obj.normal, errors) : undefined;
  const normalConcat = 'normal_concat' in obj ? checkConcat('normal_concat', obj.normal_concat, stepsOf(obj.normal), errors) : undefined;
  const reduce = 'reduce' in obj ? checkPairs('reduce', obj.reduce, errors) : undefined;
  const reduceConcat = 'reduce_concat' in obj ? checkConcat('reduce_concat', obj.reduce_concat, stepsOf(obj.reduce), errors) : undefined;
  if (errors.length || !normal || !normalConcat || !reduce || !reduceConcat) return { ok: false, errors };
  return {
    ok: true,
    genotype: { normal, normal_concat: [...normalConcat], reduce, reduce_concat: [...reduceConcat] },
  };
}

const pairsJson = (pairs: readonly GenotypePair[]) => `[${pairs.map(([op, j]) => `[${JSON.stringify(op)}, ${j}]`).join(', ')}]`;

/**
 * The project JSON format (design.md): op names, never indices; one field per line. `meta`
 * (search config, seed, step, final α, app version...) is appended as-is if given.
 */
export function genotypeToJson(g: Genotype, meta?: unknown): string {
  const lines = [
    `  "normal": ${pairsJson(g.normal)}`,
    `  "normal_concat": ${JSON.stringify(g.normal_concat).replace(/,/g, ', ')}`,
    `  "reduce": ${pairsJson(g.reduce)}`,
    `  "reduce_concat": ${JSON.stringify(g.reduce_concat).replace(/,/g, ', ')}`,
  ];
  if (meta !== undefined) lines.push(`  "meta": ${JSON.stringify(meta)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

/** Parse and validate the JSON format; malformed JSON reports line and column. */
export function parseGenotypeJson(text: string): GenotypeResult {
  const r = parseJsonText(text);
  if (!r.ok) return { ok: false, errors: [`malformed JSON at ${r.message}`] };
  return validateGenotype(r.value);
}

/**
 * Parse and validate the reference repr, e.g. the line logged by train_search.py:
 * `genotype = Genotype(normal=[('sep_conv_3x3', 1), ...], normal_concat=range(2, 6), ...)`.
 * Syntax errors name the line and column.
 */
export function parseGenotypeRepr(text: string): GenotypeResult {
  const raw = parseGenotypeReprRaw(text);
  if (!raw.ok) return { ok: false, errors: [raw.error] };
  return validateGenotype(raw.value);
}

/**
 * Accept either format: text starting with `{` is JSON, anything else is the reference repr.
 * Never throws; returns the validated genotype or the list of problems.
 */
export function parseGenotypeAny(text: string): GenotypeResult {
  const t = text.trim();
  if (t === '') {
    return { ok: false, errors: ['the text is empty; paste a genotype as JSON ({"normal": ...}) or as the reference repr (Genotype(normal=...))'] };
  }
  return t.startsWith('{') ? parseGenotypeJson(t) : parseGenotypeRepr(t);
}

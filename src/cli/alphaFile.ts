/**
 * Reading and checking an α file (design.md "α JSON"):
 *   {"normal": [[...ops] x edges], "reduce": [...], "primitives": [names], "kind": "raw" | "softmax"}
 * `primitives` and `kind` are optional. Every problem is reported with one clear message naming
 * the field, row and column, as a UsageError (exit 2): the file is part of the command line.
 */
import { isOpName, type OpName } from '../core/primitives';
import { numEdges } from '../core/searchSpace';
import { UsageError } from './args';
import { isObject } from './configArgs';

export type AlphaKind = 'raw' | 'softmax';

export interface AlphaFile {
  normal: number[][];
  reduce: number[][];
  /** Column names. */
  primitives: OpName[];
  kind: AlphaKind;
  /** Intermediate nodes per cell, inferred from the row count. */
  steps: number;
}

/** Row counts of cells with 1..6 intermediate nodes: 2, 5, 9, 14, 20, 27. */
const VALID_ROWS = [1, 2, 3, 4, 5, 6].map(numEdges);

function matrix(v: unknown, field: string, where: string, command: string): number[][] {
  const fail = (msg: string) => new UsageError(`${where}: ${msg}`, command);
  if (v === undefined) throw fail(`missing "${field}" (an edges × ops array of numbers)`);
  if (!Array.isArray(v) || v.length === 0) throw fail(`"${field}" must be a non-empty array of rows (edges × ops)`);
  const rows: number[][] = [];
  v.forEach((row: unknown, i) => {
    if (!Array.isArray(row)) throw fail(`"${field}" row ${i} is not an array of numbers`);
    row.forEach((x: unknown, j) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw fail(`"${field}"[${i}][${j}] is ${JSON.stringify(x) ?? String(x)}, not a finite number`);
      }
    });
    rows.push(row as number[]);
  });
  const cols = rows[0].length;
  if (cols === 0) throw fail(`"${field}" rows are empty`);
  rows.forEach((row, i) => {
    if (row.length !== cols) throw fail(`"${field}" row ${i} has ${row.length} values; row 0 has ${cols}`);
  });
  if (!VALID_ROWS.includes(rows.length)) {
    throw fail(
      `"${field}" has ${rows.length} rows; a cell with N intermediate nodes has N(N+3)/2 edges ` +
        `(${VALID_ROWS.join(', ')} for N = 1..6)`,
    );
  }
  return rows;
}

/**
 * Check a parsed α file. `defaultOps` names the columns when the file has no `primitives`;
 * `expectedSteps`, when given (from a config), must match the row count.
 */
export function parseAlphaFile(
  obj: unknown,
  where: string,
  command: string,
  defaultOps: readonly OpName[],
  expectedSteps?: number,
): AlphaFile {
  const fail = (msg: string) => new UsageError(`${where}: ${msg}`, command);
  if (!isObject(obj)) throw fail('must hold a JSON object {"normal": [...], "reduce": [...]}');
  const normal = matrix(obj.normal, 'normal', where, command);
  const reduce = matrix(obj.reduce, 'reduce', where, command);
  if (normal.length !== reduce.length || normal[0].length !== reduce[0].length) {
    throw fail(
      `"normal" is ${normal.length}×${normal[0].length} but "reduce" is ${reduce.length}×${reduce[0].length}; ` +
        'both cells have the same shape',
    );
  }
  const cols = normal[0].length;

  let primitives: OpName[];
  if (obj.primitives === undefined) {
    if (cols !== defaultOps.length) {
      throw fail(
        `the rows have ${cols} values but the op list has ${defaultOps.length} (${defaultOps.join(', ')}); ` +
          'add "primitives" (the column names) to the file, or pass --ops',
      );
    }
    primitives = [...defaultOps];
  } else {
    const p = obj.primitives;
    if (!Array.isArray(p)) throw fail('"primitives" must be an array of op names');
    p.forEach((name: unknown, j) => {
      if (typeof name !== 'string') throw fail(`"primitives"[${j}] is not a string`);
      if (!isOpName(name)) throw fail(`"primitives"[${j}] is '${name}', which is not a known op`);
      if (p.indexOf(name) !== j) throw fail(`"primitives" lists '${name}' twice`);
    });
    if (p.length !== cols) {
      throw fail(`"primitives" names ${p.length} ops but the rows have ${cols} values`);
    }
    primitives = p as OpName[];
  }
  if (primitives.every((op) => op === 'none')) {
    throw fail('the only op is "none"; a genotype needs at least one op other than "none"');
  }

  let kind: AlphaKind = 'raw';
  if (obj.kind !== undefined) {
    if (obj.kind !== 'raw' && obj.kind !== 'softmax') {
      throw fail(`"kind" must be "raw" or "softmax", got ${JSON.stringify(obj.kind)}`);
    }
    kind = obj.kind;
  }
  if (kind === 'softmax') {
    for (const [field, m] of [['normal', normal], ['reduce', reduce]] as const) {
      m.forEach((row, i) => {
        const sum = row.reduce((s, x) => s + x, 0);
        if (row.some((x) => x < 0) || Math.abs(sum - 1) > 1e-3) {
          throw fail(
            `"kind" is "softmax" but "${field}" row ${i} is not a probability row (sum ${sum.toPrecision(6)}); ` +
              'use "kind": "raw" for raw α',
          );
        }
      });
    }
  }

  const steps = [1, 2, 3, 4, 5, 6].find((n) => numEdges(n) === normal.length) as number;
  if (expectedSteps !== undefined && steps !== expectedSteps) {
    throw fail(`the rows describe cells with ${steps} nodes, but the config has ${expectedSteps}`);
  }
  return { normal, reduce, primitives, kind, steps };
}

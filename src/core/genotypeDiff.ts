/**
 * The difference of two genotypes, node by node (issue 12 item 4, "Compare runs").
 *
 * A genotype names, for every intermediate node i, two (op, input) choices: pairs 2i and 2i+1
 * (spec §4.1). Within a node their order is the derivation's strength order, which says nothing
 * about the architecture: `[sep_conv_3x3 ← 0, skip ← 1]` and `[skip ← 1, sep_conv_3x3 ← 0]` are
 * the same node. So the two runs' choices of a node are first matched up, most alike first:
 *
 *  1. identical choices (same op from the same input),
 *  2. then choices from the same input (only the op differs),
 *  3. then choices with the same op (only the input differs),
 *  4. then whatever is left, in order (both differ).
 *
 * A DARTS cell with 4 nodes has 2 cells × 4 nodes × 2 = 16 choices; `differing` counts the
 * matched slots that are not identical, so two genotypes differ in 0…16 of them.
 *
 * @example
 *   const d = diffGenotypes(DARTS_V1, DARTS_V2);
 *   `${d.differing} of ${d.total} choices differ`
 */
import type { Genotype, GenotypePair } from './genotype';

export type DiffCell = 'normal' | 'reduce';

/** How one matched slot differs. `missing`: one genotype has no choice here (another node count). */
export type SlotKind = 'same' | 'op' | 'input' | 'both' | 'missing';

export interface DiffSlot {
  a: GenotypePair | null;
  b: GenotypePair | null;
  kind: SlotKind;
}

export interface NodeDiff {
  cell: DiffCell;
  /** Intermediate node index (0 = the first node, state 2). */
  node: number;
  slots: DiffSlot[];
}

export interface GenotypeDiff {
  nodes: NodeDiff[];
  /** Slots whose kind is not 'same'. */
  differing: number;
  /** All slots (16 for two 4-node genotypes). */
  total: number;
  /** Whether the concatenated output states agree, per cell. */
  concatSame: Record<DiffCell, boolean>;
}

/** A short text for a slot kind: the diff table's status column (never colour alone). */
export const SLOT_KIND_TEXT: Readonly<Record<SlotKind, string>> = {
  same: 'same',
  op: 'op differs',
  input: 'input differs',
  both: 'op and input differ',
  missing: 'only in one run',
};

function kindOf(a: GenotypePair | null, b: GenotypePair | null): SlotKind {
  if (!a || !b) return 'missing';
  const sameOp = a[0] === b[0];
  const sameIn = a[1] === b[1];
  return sameOp && sameIn ? 'same' : sameIn ? 'op' : sameOp ? 'input' : 'both';
}

/**
 * Match the choices of one node (see the module comment). Slots come in A's order; B's
 * leftovers (when B has more choices) follow.
 */
export function matchNode(a: readonly GenotypePair[], b: readonly GenotypePair[]): DiffSlot[] {
  const partner: (number | null)[] = a.map(() => null);
  const taken = b.map(() => false);
  const rules: ((x: GenotypePair, y: GenotypePair) => boolean)[] = [
    (x, y) => x[0] === y[0] && x[1] === y[1],
    (x, y) => x[1] === y[1],
    (x, y) => x[0] === y[0],
    () => true,
  ];
  for (const rule of rules) {
    a.forEach((x, i) => {
      if (partner[i] !== null) return;
      const j = b.findIndex((y, k) => !taken[k] && rule(x, y));
      if (j >= 0) {
        partner[i] = j;
        taken[j] = true;
      }
    });
  }
  const slots: DiffSlot[] = a.map((x, i) => {
    const y = partner[i] === null ? null : b[partner[i]!];
    return { a: x, b: y, kind: kindOf(x, y) };
  });
  b.forEach((y, j) => {
    if (!taken[j]) slots.push({ a: null, b: y, kind: 'missing' });
  });
  return slots;
}

const nodePairs = (pairs: readonly GenotypePair[], node: number) => pairs.slice(2 * node, 2 * node + 2);

/** Diff two genotypes node by node, normal cell first (see the module comment). */
export function diffGenotypes(a: Genotype, b: Genotype): GenotypeDiff {
  const nodes: NodeDiff[] = [];
  for (const cell of ['normal', 'reduce'] as const) {
    const n = Math.ceil(Math.max(a[cell].length, b[cell].length) / 2);
    for (let node = 0; node < n; node++) {
      nodes.push({ cell, node, slots: matchNode(nodePairs(a[cell], node), nodePairs(b[cell], node)) });
    }
  }
  const slots = nodes.flatMap((n) => n.slots);
  const sameList = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return {
    nodes,
    differing: slots.filter((s) => s.kind !== 'same').length,
    total: slots.length,
    concatSame: { normal: sameList(a.normal_concat, b.normal_concat), reduce: sameList(a.reduce_concat, b.reduce_concat) },
  };
}

/** "k of 16 choices differ" (singular for one). */
export function diffSummary(d: Pick<GenotypeDiff, 'differing' | 'total'>): string {
  if (d.total === 0) return 'no choices to compare';
  if (d.differing === 0) return `all ${d.total} choices agree`;
  return `${d.differing} of ${d.total} choice${d.total === 1 ? '' : 's'} differ${d.differing === 1 ? 's' : ''}`;
}

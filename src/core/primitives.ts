/**
 * Candidate operations of the DARTS search space.
 *
 * `PRIMITIVES` is the reference list (quark0/darts cnn/genotypes.py, spec §1.1); its order is
 * the column order of α and decides derivation ties (spec §4.1: ties go to the lowest index).
 * `EXTRA_OPS` are plain ReLU–conv–BN ops (non-affine in the search) so that the textbook example
 * space O = {1×1, 3×3, 5×5} can be searched; they come after the reference ops in the canonical order.
 */
export const PRIMITIVES = [
  'none',
  'max_pool_3x3',
  'avg_pool_3x3',
  'skip_connect',
  'sep_conv_3x3',
  'sep_conv_5x5',
  'dil_conv_3x3',
  'dil_conv_5x5',
] as const;

export const EXTRA_OPS = ['conv_1x1', 'conv_3x3', 'conv_5x5'] as const;

/** Every op the playground can search, in canonical column order. */
export const ALL_OPS = [...PRIMITIVES, ...EXTRA_OPS] as const;

export type OpName = (typeof ALL_OPS)[number];

/** Ops that the evaluation network (spec §4.4) additionally understands in imported genotypes. */
export const EVAL_ONLY_OPS = ['sep_conv_7x7', 'conv_7x1_1x7'] as const;
export type GenotypeOpName = Exclude<OpName, 'none'> | (typeof EVAL_ONLY_OPS)[number];

export function isOpName(s: string): s is OpName {
  return (ALL_OPS as readonly string[]).includes(s);
}

/** Canonical index of an op (position in ALL_OPS). */
export function opIndex(op: OpName): number {
  return (ALL_OPS as readonly string[]).indexOf(op);
}

/** Sort a list of op names into canonical order (reference PRIMITIVES first). */
export function canonicalOrder(ops: readonly OpName[]): OpName[] {
  return [...ops].sort((a, b) => opIndex(a) - opIndex(b));
}

/** Short human labels used by the UI and the tour. */
export const OP_LABELS: Record<OpName, string> = {
  none: 'zero (none)',
  max_pool_3x3: 'max pool 3×3',
  avg_pool_3x3: 'avg pool 3×3',
  skip_connect: 'skip (identity)',
  sep_conv_3x3: 'sep conv 3×3',
  sep_conv_5x5: 'sep conv 5×5',
  dil_conv_3x3: 'dil conv 3×3',
  dil_conv_5x5: 'dil conv 5×5',
  conv_1x1: 'conv 1×1',
  conv_3x3: 'conv 3×3',
  conv_5x5: 'conv 5×5',
};

/**
 * Collapse warnings: pure rules over the derived genotype and the λ_max series (spec §6, §7).
 *
 * Three published signals that a DARTS search is going wrong:
 *  - **DARTS+** (Liang et al., "DARTS+: Improved Differentiable Architecture Search with Early
 *    Stopping", 2019): stop once the derived normal cell has ≥ 2 skip_connect. Parameter-free
 *    identities win the softmax early (they lower the loss before any conv is trained) and the
 *    derived network then has too few parameters (spec §7 "Skip-connect collapse").
 *  - **DARTS-ES** (Zela et al., RobustDARTS, ICLR 2020): the dominant eigenvalue λ_max of
 *    ∇²_α L_val grows as the architecture degrades. Smooth λ with a local average over 5 values,
 *    stop when  λ̄_i / λ̄_{i−4} > 1.3  (λ̄_i = mean of λ_{i−4..i}), and not before epoch 10.
 *  - **Parameter-free reduction cell** (spec §7): the published DARTS_V1/V2 reduction cells are
 *    only pooling and skip; informational, since reduction cells of that kind still work.
 *
 * Browser-sized runs and RobustDARTS' "not before epoch 10". RobustDARTS measures λ once per
 * epoch in a 50-epoch search, so "epoch 10" is both "the 10th λ evaluation" and "20 % of the
 * search". A lecture run lasts a few hundred steps, so we count evaluations: the rule may fire
 * from the 10th λ measurement on (with λ every K steps, from step 10·K). That also covers what
 * the smoothing itself needs (5 + 4 = 9 values). Likewise DARTS+ checks at the end of an epoch;
 * we start checking after the first completed epoch, because at step 0 α ≈ 1e-3·N(0,1) and the
 * derived cell is a coin toss (with 7 candidate ops, ≥ 2 skips out of 8 happen ~30 % of the time).
 */
import type { Genotype } from './genotype';
import type { GenotypeOpName } from './primitives';

/** Operations without weights: the identity and the two 3×3 poolings (`none` never appears in a genotype). */
export const PARAMETER_FREE_OPS: readonly GenotypeOpName[] = ['skip_connect', 'max_pool_3x3', 'avg_pool_3x3'];

export function isParameterFree(op: GenotypeOpName): boolean {
  return (PARAMETER_FREE_OPS as readonly string[]).includes(op);
}

export interface CellCounts {
  /** Edges of the derived cell (2 per node). */
  edges: number;
  skip: number;
  /** skip_connect, max_pool_3x3 and avg_pool_3x3 edges. */
  parameterFree: number;
}

export function cellCounts(pairs: Genotype['normal']): CellCounts {
  let skip = 0;
  let parameterFree = 0;
  for (const [op] of pairs) {
    if (op === 'skip_connect') skip++;
    if (isParameterFree(op)) parameterFree++;
  }
  return { edges: pairs.length, skip, parameterFree };
}

export interface CollapseCounts {
  normal: CellCounts;
  reduce: CellCounts;
}

/** skip_connect and parameter-free counts of both derived cells. */
export function collapseCounts(g: Genotype): CollapseCounts {
  return { normal: cellCounts(g.normal), reduce: cellCounts(g.reduce) };
}

// ---------------------------------------------------------------- thresholds (published)

/** DARTS+ (Liang et al. 2019): early stop at this many skip_connect in the normal cell. */
export const DARTS_PLUS_MAX_SKIPS = 2;
/** RobustDARTS DARTS-ES: local average window over λ values. */
export const DARTS_ES_WINDOW = 5;
/** DARTS-ES compares with the local average this many evaluations back. */
export const DARTS_ES_LOOKBACK = 4;
/** DARTS-ES: stop when current / earlier local average exceeds this. */
export const DARTS_ES_FACTOR = 1.3;
/** DARTS-ES waits until epoch 10 = the 10th λ evaluation (one per epoch in RobustDARTS); see above. */
export const DARTS_ES_MIN_EVALUATIONS = 10;

/** Local average λ̄_i = mean(λ_{i−w+1..i}) for every i ≥ w−1 (NaN before). */
export function localAverage(values: readonly number[], window = DARTS_ES_WINDOW): number[] {
  return values.map((_, i) => {
    if (i < window - 1) return NaN;
    let s = 0;
    for (let k = i - window + 1; k <= i; k++) s += values[k];
    return s / window;
  });
}

export interface DartsEsState {
  /** λ̄_i / λ̄_{i−4} at the latest evaluation, or null while there are too few values. */
  ratio: number | null;
  /** Index (into the λ series) of the first evaluation at which the rule fired, or null. */
  firedAt: number | null;
}

/**
 * The DARTS-ES stop rule over a λ_max series (one value per evaluation, oldest first). The ratio
 * is only meaningful for positive averages (λ_max of a sharp minimum); a non-positive earlier
 * average never fires.
 */
export function dartsEs(lambdas: readonly number[], minEvaluations = DARTS_ES_MIN_EVALUATIONS): DartsEsState {
  const avg = localAverage(lambdas);
  const ratioAt = (i: number) => {
    const j = i - DARTS_ES_LOOKBACK;
    if (j < 0 || !Number.isFinite(avg[i]) || !Number.isFinite(avg[j]) || !(avg[j] > 0)) return null;
    return avg[i] / avg[j];
  };
  let firedAt: number | null = null;
  for (let i = Math.max(0, minEvaluations - 1); i < lambdas.length; i++) {
    const r = ratioAt(i);
    if (r !== null && r > DARTS_ES_FACTOR) {
      firedAt = i;
      break;
    }
  }
  return { ratio: lambdas.length ? ratioAt(lambdas.length - 1) : null, firedAt };
}

// ---------------------------------------------------------------- warnings

export type CollapseRule = 'darts-plus' | 'darts-es' | 'param-free-reduce';

export interface CollapseWarning {
  rule: CollapseRule;
  severity: 'warning' | 'info';
  /** One sentence for a student. */
  message: string;
  /** Who published the rule. */
  source: string;
  /** The step at which it first fired, when known. */
  step?: number;
}

export interface CollapseInput {
  /** Derived-cell counts now. */
  counts: CollapseCounts;
  /** Completed epochs (DARTS+ checks at epoch ends; see the file comment). */
  epoch: number;
  step: number;
  /** λ_max series, oldest first, with the step of each value. */
  lambdas?: readonly number[];
  lambdaSteps?: readonly number[];
  /** Whether the op set has any op with weights (else "parameter-free" says nothing). */
  hasParametricOps?: boolean;
}

export const DARTS_PLUS_SOURCE = 'DARTS+ (Liang et al., 2019): early stop at ≥ 2 skip_connect in the normal cell';
export const DARTS_ES_SOURCE = 'RobustDARTS DARTS-ES (Zela et al., ICLR 2020): local average of λ_max over 5 values, stop at a ratio > 1.3';
export const PARAM_FREE_SOURCE = 'DARTS_V1/V2 reduction cells are pooling and skip only (spec §7)';

/** Every rule that fires now, most important first. */
export function collapseWarnings(x: CollapseInput): CollapseWarning[] {
  const out: CollapseWarning[] = [];
  const n = x.counts.normal;
  if (x.epoch >= 1 && n.skip >= DARTS_PLUS_MAX_SKIPS) {
    out.push({
      rule: 'darts-plus',
      severity: 'warning',
      message:
        `The derived normal cell has ${n.skip} of ${n.edges} edges as skip_connect. DARTS+ stops the search at 2: ` +
        'identities win the softmax early, but a cell of identities has almost no parameters and evaluates badly.',
      source: DARTS_PLUS_SOURCE,
    });
  }
  const lambdas = x.lambdas ?? [];
  if (lambdas.length > 0) {
    const es = dartsEs(lambdas);
    if (es.firedAt !== null) {
      const avg = localAverage(lambdas);
      const i = es.firedAt;
      const ratio = avg[i] / avg[i - DARTS_ES_LOOKBACK];
      const at = x.lambdaSteps?.[i];
      const back = x.lambdaSteps?.[i - DARTS_ES_LOOKBACK];
      out.push({
        rule: 'darts-es',
        severity: 'warning',
        message:
          `λ_max, the sharpness of the validation loss in α, grew by ${ratio.toFixed(2)}× (5-value average` +
          (at !== undefined && back !== undefined ? ` at step ${at} vs step ${back}` : '') +
          '). RobustDARTS stops at 1.3× and keeps the architecture from before the rise: a sharp minimum in α ' +
          'means the derived cell will generalise worse.',
        source: DARTS_ES_SOURCE,
        ...(at !== undefined ? { step: at } : {}),
      });
    }
  }
  const r = x.counts.reduce;
  if ((x.hasParametricOps ?? true) && x.epoch >= 1 && r.edges > 0 && r.parameterFree === r.edges) {
    out.push({
      rule: 'param-free-reduce',
      severity: 'info',
      message:
        `Every edge of the derived reduction cell is parameter-free (${r.skip} skip, ${r.parameterFree - r.skip} pooling). ` +
        'The published DARTS cells look like that too; it is a sign that the convolutions lost the race, not an error.',
      source: PARAM_FREE_SOURCE,
    });
  }
  return out;
}

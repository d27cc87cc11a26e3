/**
 * Random architectures from the DARTS search space: the paper's own sanity check (§3.3, "random
 * search baseline") trains a few of these exactly like the searched cell. If the searched cell
 * does not beat them, the search found nothing.
 *
 * A random cell is drawn the way the genotype is derived (spec §4.1), only uniformly: each
 * intermediate node i picks 2 distinct inputs among its i + 2 predecessors and an op for each
 * input from the search's op list without `none`; all nodes are concatenated.
 */
import type { Genotype, GenotypePair } from './genotype';
import type { OpName } from './primitives';
import { Rng } from './rng';

function randomCell(rng: Rng, ops: readonly OpName[], steps: number): GenotypePair[] {
  const choices = ops.filter((o) => o !== 'none');
  if (choices.length === 0) throw new RangeError('a random genotype needs at least one op besides none');
  const pairs: GenotypePair[] = [];
  for (let i = 0; i < steps; i++) {
    const inputs = rng.sample(i + 2, 2);
    const sorted = Array.from(inputs).sort((a, b) => a - b);
    for (const input of sorted) pairs.push([choices[rng.int(choices.length)] as GenotypePair[0], input]);
  }
  return pairs;
}

/** One uniformly random genotype with `steps` nodes per cell over `ops` (`none` excluded). */
export function randomGenotype(rng: Rng, ops: readonly OpName[], steps: number): Genotype {
  const concat = Array.from({ length: steps }, (_, i) => i + 2);
  return {
    normal: randomCell(rng, ops, steps),
    normal_concat: concat,
    reduce: randomCell(rng, ops, steps),
    reduce_concat: [...concat],
  };
}

/**
 * The paper's random baseline for `genotype`: k random genotypes with the same node count over
 * `ops`, drawn from one seeded stream, so the CLI and the app draw the same cells for a seed.
 */
export function randomBaseline(genotype: Genotype, k: number, ops: readonly OpName[], seed: number): Genotype[] {
  const rng = new Rng(seed, 'random-baseline');
  const steps = genotype.normal.length / 2;
  return Array.from({ length: k }, () => randomGenotype(rng, ops, steps));
}

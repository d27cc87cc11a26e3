/**
 * What the derived genotype means under the running method (core/methodDerive.ts), in a sentence
 * for the genotype panel: PC-DARTS ranks β̃·softmax(α); FairDARTS ranks σ(α), and its
 * threshold_sparse rule would drop the choices whose σ is below the threshold.
 */
import type { SearchConfig } from '../core/config';
import type { Genotype } from '../core/genotype';
import { rowOffset } from '../core/searchSpace';

export function methodNote(config: SearchConfig | null, genotype: Genotype | null, deriveNormal?: Float32Array | null, deriveReduce?: Float32Array | null): string {
  if (!config) return '';
  if (config.method === 'pc-darts') return 'PC-DARTS: edges are ranked by β̃·softmax(α), the edge weight times the op weight.';
  if (config.method !== 'fair-darts') return '';
  const head = `FairDARTS: ranked by σ(α); its threshold_sparse rule keeps a choice only if σ ≥ ${config.fairThreshold}.`;
  if (!genotype || !deriveNormal || !deriveReduce) return head;
  const k = config.ops.length;
  const below: string[] = [];
  for (const [cell, rows] of [['normal', deriveNormal], ['reduce', deriveReduce]] as const) {
    genotype[cell].forEach(([op, from], i) => {
      const node = Math.floor(i / 2);
      const sigma = rows[(rowOffset(node) + from) * k + (config.ops as readonly string[]).indexOf(op)];
      if (sigma < config.fairThreshold) below.push(`${cell} node ${node} ← ${from}: ${op} (σ ${sigma.toFixed(2)})`);
    });
  }
  return below.length ? `${head} Below it now (${below.length} of ${2 * genotype.normal.length}): ${below.join('; ')}.` : `${head} Every choice passes.`;
}

/**
 * Which configuration fields change the supernet or its data. Changing one of them needs a new
 * run (the UI asks first); the others (learning rates, batch, order, ...) apply to a live run.
 * The search method and PC-DARTS' K are structural too: PC-DARTS adds edge β and narrows the ops
 * to C/K channels, GDAS computes only the sampled ops, and a method's schedules start at epoch 0.
 * No tfjs here: the main thread imports it.
 */
import type { SearchConfig } from '../core/config';

export const STRUCTURAL_KEYS = [
  'ops',
  'steps',
  'multiplier',
  'C',
  'layers',
  'stemMultiplier',
  'inChannels',
  'height',
  'width',
  'numClasses',
  'seed',
  'trainPortion',
  'method',
  'pcK',
] as const satisfies readonly (keyof SearchConfig)[];

export function structuralChange(a: SearchConfig, b: SearchConfig): boolean {
  return STRUCTURAL_KEYS.some((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/**
 * Which configuration fields change the supernet or its data. Changing one of them needs a new
 * run (the UI asks first); the others (learning rates, batch, order, ...) apply to a live run.
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
] as const satisfies readonly (keyof SearchConfig)[];

export function structuralChange(a: SearchConfig, b: SearchConfig): boolean {
  return STRUCTURAL_KEYS.some((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

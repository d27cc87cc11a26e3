/**
 * Published genotypes from the reference cnn/genotypes.py (spec §4.3). `DARTS = DARTS_V2` there.
 * Both cells concatenate all four intermediate nodes, [2, 3, 4, 5].
 */
import type { Genotype } from './genotype';

/** DARTS (first order), CIFAR-10. 3,169,414 params at C=36, L=20 (spec §9). */
export const DARTS_V1: Genotype = {
  normal: [
    ['sep_conv_3x3', 1], ['sep_conv_3x3', 0],
    ['skip_connect', 0], ['sep_conv_3x3', 1],
    ['skip_connect', 0], ['sep_conv_3x3', 1],
    ['sep_conv_3x3', 0], ['skip_connect', 2],
  ],
  normal_concat: [2, 3, 4, 5],
  reduce: [
    ['max_pool_3x3', 0], ['max_pool_3x3', 1],
    ['skip_connect', 2], ['max_pool_3x3', 0],
    ['max_pool_3x3', 0], ['skip_connect', 2],
    ['skip_connect', 2], ['avg_pool_3x3', 0],
  ],
  reduce_concat: [2, 3, 4, 5],
};

/** DARTS (second order), CIFAR-10: the paper's cell. 3,349,342 params at C=36, L=20 (spec §9). */
export const DARTS_V2: Genotype = {
  normal: [
    ['sep_conv_3x3', 0], ['sep_conv_3x3', 1],
    ['sep_conv_3x3', 0], ['sep_conv_3x3', 1],
    ['sep_conv_3x3', 1], ['skip_connect', 0],
    ['skip_connect', 0], ['dil_conv_3x3', 2],
  ],
  normal_concat: [2, 3, 4, 5],
  reduce: [
    ['max_pool_3x3', 0], ['max_pool_3x3', 1],
    ['skip_connect', 2], ['max_pool_3x3', 1],
    ['max_pool_3x3', 0], ['skip_connect', 2],
    ['skip_connect', 2], ['max_pool_3x3', 1],
  ],
  reduce_concat: [2, 3, 4, 5],
};

/** The reference alias: `DARTS = DARTS_V2`. */
export const DARTS = DARTS_V2;

/** Named genotypes for the UI's "load a published cell" menu. */
export const PUBLISHED_GENOTYPES: Readonly<Record<string, Genotype>> = { DARTS_V1, DARTS_V2 };

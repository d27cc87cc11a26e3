import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config';
import { DARTS_V1, DARTS_V2 } from './genotypes';
import { evalNetworkParamCount, evalNetworkParams, mixedOpParamCount, opParamCount, supernetParamCount, supernetParams } from './params';
import { PRIMITIVES } from './primitives';

const net = (C: number, layers: number, inChannels = 3) => ({ ...DEFAULT_CONFIG, C, layers, inChannels: inChannels as 1 | 3 });

describe('supernet parameter counts (spec §1.6, §9)', () => {
  it.each([
    [4, 3, 72_854],
    [6, 3, 133_180],
    [4, 5, 136_182],
    [4, 8, 207_094],
    [8, 3, 209_442],
    [8, 5, 394_210],
    [8, 8, 597_890],
    [16, 3, 673_850],
    [16, 5, 1_275_834],
    [16, 8, 1_930_618],
  ])('C=%i L=%i → %i', (C, L, expected) => {
    expect(supernetParamCount(net(C, L))).toBe(expected);
  });

  it('1-channel stem (MNIST): C=8 L=5 → 393,778', () => {
    expect(supernetParamCount(net(8, 5, 1))).toBe(393_778);
  });

  it('matches the per-cell table of C=16, L=8', () => {
    const p = supernetParams(net(16, 8));
    expect(p.stem).toBe(1_392);
    expect(p.cells.map((c) => c.total)).toEqual([45_888, 46_144, 144_000, 137_856, 139_904, 484_608, 460_032, 468_224]);
    expect(p.cells.map((c) => c.reduction)).toEqual([false, false, true, false, false, true, false, false]);
    expect(p.classifier).toBe(2_570);
    expect(p.auxiliary).toBe(0);
    expect(p.total).toBe(1_930_618);
  });

  it('MixedOp = 6C²+102C at stride 1 and 7C²+102C at stride 2', () => {
    for (const C of [4, 8, 16, 36]) {
      expect(mixedOpParamCount(PRIMITIVES, C, 1)).toBe(6 * C * C + 102 * C);
      expect(mixedOpParamCount(PRIMITIVES, C, 2)).toBe(7 * C * C + 102 * C);
    }
    expect(mixedOpParamCount(PRIMITIVES, 16, 1)).toBe(3_168);
    expect(mixedOpParamCount(PRIMITIVES, 16, 2)).toBe(3_424);
    expect(mixedOpParamCount(PRIMITIVES, 8, 1)).toBe(1_200);
    expect(mixedOpParamCount(PRIMITIVES, 4, 2)).toBe(520);
  });

  it('per-op counts at C=16 (spec §10 check 3)', () => {
    const at = (op: (typeof PRIMITIVES)[number], stride: 1 | 2 = 1) => opParamCount(op, 16, stride, false);
    expect(at('sep_conv_3x3')).toBe(800);
    expect(at('sep_conv_5x5')).toBe(1_312);
    expect(at('dil_conv_3x3')).toBe(400);
    expect(at('dil_conv_5x5')).toBe(656);
    expect(at('skip_connect', 2)).toBe(256);
    for (const op of ['none', 'max_pool_3x3', 'avg_pool_3x3', 'skip_connect'] as const) {
      expect(at(op)).toBe(0);
      if (op !== 'skip_connect') expect(at(op, 2)).toBe(0);
    }
  });

  it('counts the extra plain convs (k²c², non-affine BN)', () => {
    expect(opParamCount('conv_1x1', 4, 1, false)).toBe(16);
    expect(opParamCount('conv_3x3', 4, 2, false)).toBe(144);
    expect(opParamCount('conv_5x5', 4, 1, true)).toBe(400 + 8);
    // A 2-node cell over {1x1, 3x3, 5x5}: 5 edges × 35c² + preprocess.
    const cfg = { ...DEFAULT_CONFIG, ops: ['conv_1x1', 'conv_3x3', 'conv_5x5'] as const, steps: 2, multiplier: 2, C: 4, layers: 3 };
    const p = supernetParams({ ...cfg, ops: [...cfg.ops] });
    expect(p.cells[0].ops).toBe(5 * 35 * 16);
  });
});

describe('evaluation network parameter counts (spec §4.4, §9)', () => {
  const shape = (C: number, layers: number, inChannels = 3) => ({ C, layers, inChannels, numClasses: 10, auxiliary: false });
  it.each([
    ['DARTS_V2', 36, 20, 3_349_342],
    ['DARTS_V1', 36, 20, 3_169_414],
    ['DARTS_V2', 16, 8, 246_106],
    ['DARTS_V1', 16, 8, 232_890],
    ['DARTS_V2', 8, 5, 37_018],
    ['DARTS_V1', 8, 5, 35_058],
    ['DARTS_V2', 16, 20, 710_682],
  ] as const)('%s C=%i L=%i → %i', (name, C, L, expected) => {
    const g = name === 'DARTS_V2' ? DARTS_V2 : DARTS_V1;
    expect(evalNetworkParamCount(g, shape(C, L))).toBe(expected);
  });

  it('a 1-channel stem has 54·C fewer weights', () => {
    expect(evalNetworkParamCount(DARTS_V2, shape(16, 8, 1))).toBe(245_242);
    expect(evalNetworkParamCount(DARTS_V2, shape(16, 8)) - evalNetworkParamCount(DARTS_V2, shape(16, 8, 1))).toBe(54 * 16);
  });

  it('the auxiliary head adds 476,426 at C=36, L=20 (3,825,768 / 3,645,840 in the reference)', () => {
    expect(evalNetworkParamCount(DARTS_V2, { ...shape(36, 20), auxiliary: true })).toBe(3_825_768);
    expect(evalNetworkParamCount(DARTS_V1, { ...shape(36, 20), auxiliary: true })).toBe(3_645_840);
    expect(evalNetworkParams(DARTS_V2, { ...shape(36, 20), auxiliary: true }).auxiliary).toBe(476_426);
  });

  it('handles eval-only ops and non-default concat lists', () => {
    expect(opParamCount('sep_conv_7x7', 4, 1, true)).toBe(2 * (49 * 4 + 16 + 8));
    expect(opParamCount('conv_7x1_1x7', 4, 2, true)).toBe(7 * 16 + 7 * 16 + 8);
    const g = { ...DARTS_V2, normal_concat: [4, 5] };
    const p = evalNetworkParams(g, shape(8, 3));
    // cell 0 is normal with a 2-state concat: cell 1's preprocess1 reads 2·C channels.
    expect(p.cells[1].pre1).toBe(2 * 8 * 16 + 2 * 16);
  });
});

import { describe, expect, it } from 'vitest';
import { estimateStepBytes } from './memory';
import { supernetParamCount } from './params';
import { getPreset, getPresetInfo, PRESET_NAMES, PRESETS } from './presets';
import { PRIMITIVES } from './primitives';
import { networkPlan } from './searchSpace';
import { ConfigError } from './validateConfig';

describe('presets', () => {
  it.each(PRESET_NAMES.map((n) => [n]))('%s validates and fits its memory budget', (name) => {
    const cfg = getPreset(name);
    expect(estimateStepBytes(cfg)).toBeLessThanOrEqual(cfg.memoryBudgetBytes);
    expect(getPresetInfo(name).description.length).toBeGreaterThan(20);
    expect(getPresetInfo(name).label.length).toBeGreaterThan(3);
    expect(PRESETS[name]).toBe(getPresetInfo(name));
  });

  it('lecture: C=4, N R R, the canonical 14-edge cell with all 8 ops, 1×16×16', () => {
    const cfg = getPreset('lecture');
    expect(cfg).toMatchObject({ C: 4, layers: 3, steps: 4, multiplier: 4, inChannels: 1, height: 16, width: 16, batchSize: 16, numClasses: 4, epochs: 10 });
    expect(cfg.ops).toEqual([...PRIMITIVES]);
    expect(networkPlan(cfg).cells.map((c) => (c.reduction ? 'R' : 'N')).join('')).toBe('NRR');
    // 72,854 at 3 channels and 10 classes; 1 channel saves 54·C, 4 classes save 6·(64 + 1).
    expect(supernetParamCount(cfg)).toBe(72_854 - 54 * 4 - 6 * 65);
    // Issue 10: a task with a known answer and a faster α, both named in the description.
    expect(getPresetInfo('lecture').dataset).toBe('task-long-range');
    expect(cfg.archLr).toBe(0.05);
    expect(getPresetInfo('lecture').description).toMatch(/Changed from the paper/);
    expect(getPresetInfo('lecture').label).toBe('Lecture: DARTS picks a large receptive field');
  });

  it('labels are distinct, and the issue\'s lecture presets are there', () => {
    const labels = PRESET_NAMES.map((n) => getPresetInfo(n).label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toEqual(
      expect.arrayContaining([
        'Lecture: DARTS picks a large receptive field',
        'The simple example: conv 1×1 / 3×3 / 5×5',
        'Paper configuration (slow)',
        'Skip-connect collapse',
        'First vs second order',
      ]),
    );
    expect(PRESET_NAMES[0]).toBe('lecture');
  });

  it('first-vs-second: the lecture setting with the unrolled (second-order) α gradient', () => {
    expect(getPreset('first-vs-second')).toEqual({ ...getPreset('lecture'), order: 2 });
    expect(getPresetInfo('first-vs-second').dataset).toBe(getPresetInfo('lecture').dataset);
  });

  it('skip-collapse: the lecture network with faster α learning, and it says what to watch', () => {
    const cfg = getPreset('skip-collapse');
    const lecture = getPreset('lecture');
    expect(cfg).toMatchObject({ C: lecture.C, layers: lecture.layers, steps: lecture.steps });
    expect(cfg.ops).toContain('skip_connect');
    expect(cfg.archLr).toBeGreaterThan(getPreset('paper').archLr * 10);
    expect(getPresetInfo('skip-collapse').dataset).toBe('mnist');
    expect(getPresetInfo('skip-collapse').description).toMatch(/skip/);
    expect(getPresetInfo('skip-collapse').description).toMatch(/[Ww]atch/);
  });

  it('simple-convs: the textbook space {1x1, 3x3, 5x5}, 2-node cells', () => {
    const cfg = getPreset('simple-convs');
    expect(cfg.ops).toEqual(['conv_1x1', 'conv_3x3', 'conv_5x5']);
    expect(cfg).toMatchObject({ steps: 2, multiplier: 2, C: 4, layers: 3, height: 16, batchSize: 16 });
  });

  it('tiny / paper sizes match spec §9', () => {
    expect(supernetParamCount(getPreset('tiny-mnist'))).toBe(393_778);
    expect(supernetParamCount(getPreset('tiny-cifar'))).toBe(394_210);
    expect(supernetParamCount(getPreset('paper'))).toBe(1_930_618);
    expect(getPreset('tiny-mnist')).toMatchObject({ inChannels: 1, height: 28, batchSize: 32 });
    expect(getPreset('paper')).toMatchObject({ batchSize: 64, epochs: 50 });
  });

  it('returns fresh objects', () => {
    const a = getPreset('lecture');
    a.ops.pop();
    expect(getPreset('lecture').ops).toHaveLength(8);
  });

  it('unknown name → ConfigError listing the valid names', () => {
    expect(() => getPreset('tiny')).toThrow(ConfigError);
    expect(() => getPreset('tiny')).toThrow(`unknown preset "tiny"; valid presets: ${PRESET_NAMES.join(', ')}`);
    expect(() => getPresetInfo('nope')).toThrow(ConfigError);
  });
});

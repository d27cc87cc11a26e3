import { describe, expect, it } from 'vitest';
import { getPreset } from '../core/presets';
import { formatTick } from './format';
import { parseUrlState } from './urlState';

describe('parseUrlState', () => {
  it('opens on the lecture preset with no parameters', () => {
    const s = parseUrlState('');
    expect(s.preset).toBe('lecture');
    expect(s.config).toEqual(getPreset('lecture'));
    expect(s.backend).toBeUndefined();
    expect(s.notices).toEqual([]);
  });

  it('reads the preset, the backend and CLI-style overrides', () => {
    const s = parseUrlState('?preset=simple-convs&backend=wasm&C=2&nodes=3&size=8&batch=4&seed=7&ops=conv_3x3,conv_1x1&autoplay=1');
    expect(s.backend).toBe('wasm');
    expect(s.autoplay).toBe(true);
    expect(s.config).toMatchObject({ C: 2, steps: 3, multiplier: 3, height: 8, width: 8, batchSize: 4, seed: 7 });
    expect(s.config.ops).toEqual(['conv_1x1', 'conv_3x3']); // canonical order
  });

  it('reports and ignores invalid values', () => {
    const s = parseUrlState('?preset=nope&backend=tpu&C=3');
    expect(s.preset).toBe('lecture');
    expect(s.backend).toBeUndefined();
    expect(s.config).toEqual(getPreset('lecture'));
    expect(s.notices.join(' ')).toMatch(/Unknown preset "nope"/);
    expect(s.notices.join(' ')).toMatch(/Unknown backend "tpu"/);
    expect(s.notices.join(' ')).toMatch(/C must be even/);
  });
});

it('says when a preset wants a dataset the browser does not ship', () => {
  const s = parseUrlState('?preset=tiny-mnist');
  expect(s.config).toEqual(getPreset('tiny-mnist'));
  expect(s.notices.join(' ')).toMatch(/MNIST.*synthetic patterns of the same shape \(28×28×1\)/);
});

describe('formatTick', () => {
  it('uses as many decimals as the tick step needs', () => {
    expect(formatTick(0.25, 0.25)).toBe('0.25');
    expect(formatTick(0.3335, 0.0005)).toBe('0.3335');
    expect(formatTick(20, 10)).toBe('20');
    expect(formatTick(1.098612, 5e-7)).toBe('1.0986120');
  });
});

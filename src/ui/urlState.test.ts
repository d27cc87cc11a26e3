import { describe, expect, it } from 'vitest';
import { getPreset } from '../core/presets';
import { formatTick } from './format';
import { parseUrlState } from './urlState';

describe('parseUrlState', () => {
  it('opens on the lecture preset (the long-range teaching task) with no parameters', () => {
    const s = parseUrlState('');
    expect(s.preset).toBe('lecture');
    expect(s.config).toEqual(getPreset('lecture'));
    expect(s.dataset).toEqual({ name: 'task', id: 'task-long-range' });
    expect(s.backend).toBeUndefined();
    expect(s.hidden).toEqual([]);
    expect(s.view).toEqual({ speed: 0, derived: false, theme: 'system', largeFont: false, widths: 'relative' });
    expect(s.notices).toEqual([]);
  });

  it('reads the preset, the backend and CLI-style overrides from the query', () => {
    const s = parseUrlState('?preset=simple-convs&backend=wasm&C=2&nodes=3&size=8&batch=4&seed=7&ops=conv_3x3,conv_1x1&autoplay=1');
    expect(s.backend).toBe('wasm');
    expect(s.autoplay).toBe(true);
    expect(s.dataset).toEqual({ name: 'synthetic' });
    expect(s.config).toMatchObject({ C: 2, steps: 3, multiplier: 3, height: 8, width: 8, batchSize: 4, seed: 7 });
    expect(s.config.ops).toEqual(['conv_1x1', 'conv_3x3']); // canonical order
  });

  it('reads the hash, which wins over the query', () => {
    const s = parseUrlState('?preset=simple-convs&C=2', '#C=6&dataset=fashion-mnist&hide=ops,steps&speed=1&theme=dark');
    expect(s.preset).toBe('simple-convs');
    expect(s.config.C).toBe(6);
    expect(s.dataset).toEqual({ name: 'fashion-mnist' });
    expect(s.hidden).toEqual(['ops', 'steps']);
    expect(s.view).toMatchObject({ speed: 1, theme: 'dark' });
    expect(s.notices).toEqual([]);
  });

  it('reports and ignores invalid values, naming each', () => {
    const s = parseUrlState('?preset=nope&backend=tpu&C=3');
    expect(s.preset).toBe('lecture');
    expect(s.backend).toBeUndefined();
    expect(s.config).toEqual(getPreset('lecture'));
    const text = s.notices.join(' ');
    expect(text).toMatch(/URL settings were ignored/);
    expect(text).toMatch(/preset=nope \(unknown preset "nope"/);
    expect(text).toMatch(/backend=tpu/);
    expect(text).toMatch(/C=3 \(C must be even/);
  });
});

it('says when a preset wants CIFAR-10, which the browser does not ship', () => {
  const s = parseUrlState('?preset=tiny-cifar');
  expect(s.config).toEqual(getPreset('tiny-cifar'));
  expect(s.dataset).toEqual({ name: 'synthetic' });
  expect(s.notices.join(' ')).toMatch(/CIFAR-10.*synthetic patterns of the same shape \(32×32×3\)/);
});

describe('formatTick', () => {
  it('uses as many decimals as the tick step needs', () => {
    expect(formatTick(0.25, 0.25)).toBe('0.25');
    expect(formatTick(0.3335, 0.0005)).toBe('0.3335');
    expect(formatTick(20, 10)).toBe('20');
    expect(formatTick(1.098612, 5e-7)).toBe('1.0986120');
  });
});

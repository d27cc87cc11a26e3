import { describe, expect, it } from 'vitest';
import { ALL_OPS } from '../core/primitives';
import { edgeOpacity, edgeWidth, opColor, opDash } from './scales';

describe('scales', () => {
  it('gives every searchable op its own colour and its own dash pattern', () => {
    expect(new Set(ALL_OPS.map(opColor)).size).toBe(ALL_OPS.length);
    expect(new Set(ALL_OPS.map(opDash)).size).toBe(ALL_OPS.length);
    for (const op of ALL_OPS) expect(opColor(op)).toMatch(/^#[0-9A-F]{6}$/);
  });

  it('draws none as dashed grey and unknown ops in a neutral colour', () => {
    expect(opColor('none')).toBe('#999999');
    expect(opDash('none')).not.toBe('');
    expect(opColor('sep_conv_7x7')).toBe('#555555');
  });

  it('maps softmax weight to a clamped width 0.5..10 px and a clamped opacity', () => {
    expect(edgeWidth(0)).toBe(0.5);
    expect(edgeWidth(1)).toBe(10);
    expect(edgeWidth(0.5)).toBeCloseTo(5.25);
    expect(edgeWidth(-3)).toBe(0.5);
    expect(edgeWidth(7)).toBe(10);
    expect(edgeOpacity(0)).toBeCloseTo(0.3);
    expect(edgeOpacity(0.125)).toBeGreaterThan(0.45);
    expect(edgeOpacity(0.9)).toBe(1);
  });
});

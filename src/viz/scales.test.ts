import { describe, expect, it } from 'vitest';
import { ALL_OPS } from '../core/primitives';
import { edgeOpacity, edgeWidth, opColor, opDash, relativeEdgeOpacity, relativeEdgeWidth } from './scales';

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

  it('relative widths: linear in log2(softmax·K), uniform 3.5 px, ±2 px per doubling, clamped; below uniform fades', () => {
    const K = 8;
    expect(relativeEdgeWidth(1 / K, K)).toBeCloseTo(3.5);
    expect(relativeEdgeWidth(2 / K, K)).toBeCloseTo(5.5);
    expect(relativeEdgeWidth(0.5 / K, K)).toBeCloseTo(1.5);
    expect(relativeEdgeWidth(4 / K, K)).toBeCloseTo(7.5);
    expect(relativeEdgeWidth(1, K)).toBeCloseTo(9.5);
    expect(relativeEdgeWidth(0, K)).toBe(0.5);
    expect(relativeEdgeWidth(1, 1000)).toBe(11.5);
    // The case: softmax 0.111 vs 0.145 over 8 ops is 1.7 vs 1.8 px absolute, ~1 px apart here.
    expect(relativeEdgeWidth(0.145, K) - relativeEdgeWidth(0.111, K)).toBeGreaterThan(0.7);
    expect(edgeWidth(0.145) - edgeWidth(0.111)).toBeLessThan(0.35);
    expect(relativeEdgeOpacity(1 / K, K)).toBe(1);
    expect(relativeEdgeOpacity(3 / K, K)).toBe(1);
    expect(relativeEdgeOpacity(0.5 / K, K)).toBeCloseTo(0.5);
    expect(relativeEdgeOpacity(0, K)).toBeCloseTo(0.2);
  });
});

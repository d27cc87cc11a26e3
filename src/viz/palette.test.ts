import { describe, expect, it } from 'vitest';
import { ALL_OPS } from '../core/primitives';
import { contrastRatio, luminance } from './contrast';
import { CONCAT_STROKE, CONCAT_STROKE_DARK, opColor, opColorIn, PANEL_BG } from './scales';

describe('contrastRatio', () => {
  it('matches the WCAG end points and a known pair', () => {
    expect(contrastRatio('#000000', '#FFFFFF')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#777777')).toBe(1);
    // #767676 on white is the classic "just passes 4.5:1" grey.
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(luminance('#FFFFFF')).toBeCloseTo(1, 6);
    expect(() => luminance('red')).toThrow(/#RRGGBB/);
  });
});

describe('op palettes', () => {
  it('light is the plain palette', () => {
    for (const op of [...ALL_OPS, 'sep_conv_7x7']) expect(opColorIn('light', op)).toBe(opColor(op));
  });

  it('dark: every op curve and the concat arrows reach 3:1 on the dark panel (WCAG 1.4.11)', () => {
    for (const op of [...ALL_OPS, 'sep_conv_7x7']) {
      expect(contrastRatio(opColorIn('dark', op), PANEL_BG.dark), op).toBeGreaterThanOrEqual(3);
    }
    expect(contrastRatio(CONCAT_STROKE_DARK, PANEL_BG.dark)).toBeGreaterThanOrEqual(3);
    // The light palette's darkest colours would not: the dark variant is needed.
    expect(contrastRatio(opColor('conv_1x1'), PANEL_BG.dark)).toBeLessThan(3);
    expect(contrastRatio(CONCAT_STROKE, PANEL_BG.dark)).toBeLessThan(3);
  });

  it('dark: ops stay distinct by colour', () => {
    expect(new Set(ALL_OPS.map((op) => opColorIn('dark', op))).size).toBe(ALL_OPS.length);
    for (const op of ALL_OPS) expect(opColorIn('dark', op)).toMatch(/^#[0-9A-F]{6}$/);
  });
});

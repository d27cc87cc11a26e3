import { describe, expect, it } from 'vitest';
import { quoted } from './quoted';

describe('quoted', () => {
  it('quotes a plain name unchanged', () => {
    expect(quoted('sep_conv_3x4')).toBe('"sep_conv_3x4"');
  });
  it('escapes control and bidi characters, so they cannot reorder or hide the message', () => {
    expect(quoted('sep_conv\u202E3x3\u0007\u0000')).toBe('"sep_conv\\u202e3x3\\u0007\\u0000"');
    expect(quoted('a\u2066b\u200Fc\uFEFF')).toBe('"a\\u2066b\\u200fc\\ufeff"');
  });
  it('cuts a very long name', () => {
    expect(quoted('x'.repeat(500))).toBe(`"${'x'.repeat(80)}…"`);
  });
});

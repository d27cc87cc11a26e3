import { describe, expect, it } from 'vitest';
import { convertChannels, resizeArea, resizeStack } from './resize';

describe('resizeArea', () => {
  it('averages 2×2 blocks when halving', () => {
    const src = Uint8Array.from([0, 100, 200, 255, 50, 150, 0, 0, 10, 20, 30, 40, 50, 60, 70, 80]);
    const out = resizeArea(src, 4, 4, 1, 2, 2);
    expect(Array.from(out)).toEqual([75, 114, 35, 55]);
  });
  it('replicates pixels when doubling', () => {
    expect(Array.from(resizeArea(Uint8Array.from([10, 20]), 1, 2, 1, 2, 4))).toEqual([10, 10, 20, 20, 10, 10, 20, 20]);
  });
  it('keeps the mean of a 28×28 image resized to 16×16 (non-integer factor)', () => {
    const src = Uint8Array.from({ length: 28 * 28 }, (_, i) => (i * 37) % 256);
    const out = resizeArea(src, 28, 28, 1, 16, 16);
    const mean = (a: Uint8Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(out)).toBeCloseTo(mean(src), 0);
  });
});

describe('convertChannels', () => {
  it('grey → RGB replicates and RGB → grey uses luma', () => {
    expect(Array.from(convertChannels(Uint8Array.from([7]), 1, 1, 3))).toEqual([7, 7, 7]);
    expect(Array.from(convertChannels(Uint8Array.from([255, 0, 0]), 1, 3, 1))).toEqual([76]);
    expect(Array.from(convertChannels(Uint8Array.from([1, 2, 3, 255]), 1, 4, 3))).toEqual([1, 2, 3]);
  });
  it('resizeStack handles each image of a stack', () => {
    const x = Uint8Array.from([0, 0, 0, 0, 255, 255, 255, 255]);
    expect(Array.from(resizeStack(x, 2, 2, 2, 1, 1, 1, 1))).toEqual([0, 255]);
  });
});

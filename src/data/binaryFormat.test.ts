import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataFormatError, encodeImageSet, gunzipIfNeeded, isGzip, parseImageSet } from './binaryFormat';
import type { RawImageSet } from './types';

/** A tiny 3×2×2 set: 5 training, 3 test images, pixel values identify image and position. */
function tinySet(): RawImageSet {
  const size = 3 * 2 * 2;
  const mk = (n: number, base: number) => ({
    n,
    x: Uint8Array.from({ length: n * size }, (_, i) => (base + i * 7) % 256),
    y: Uint8Array.from({ length: n }, (_, i) => (i + base) % 3),
  });
  return {
    id: 'tiny',
    name: 'Tiny set',
    height: 3,
    width: 2,
    channels: 2,
    numClasses: 3,
    classNames: ['a', 'b', 'c'],
    train: mk(5, 0),
    test: mk(3, 100),
    source: 'unit test',
    license: 'CC0',
    flipSafe: true,
  };
}

const headerLen = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);

describe('binaryFormat', () => {
  it('round-trips a RawImageSet', () => {
    const set = tinySet();
    const bytes = encodeImageSet(set);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('DRTS');
    expect(bytes.length).toBe(12 + headerLen(bytes) + 8 * (12 + 1));
    const back = parseImageSet(bytes);
    expect(back.train.n).toBe(5);
    expect(Array.from(back.train.x)).toEqual(Array.from(set.train.x));
    expect(Array.from(back.train.y)).toEqual(Array.from(set.train.y));
    expect(Array.from(back.test.x)).toEqual(Array.from(set.test.x));
    expect(Array.from(back.test.y)).toEqual(Array.from(set.test.y));
    const { train: _a, test: _b, ...meta } = back;
    const { train: _c, test: _d, ...metaIn } = set;
    expect(meta).toEqual(metaIn);
  });

  it('rejects a wrong magic, a still-compressed file and another version', () => {
    const bytes = encodeImageSet(tinySet());
    const bad = bytes.slice();
    bad[0] = 'X'.charCodeAt(0);
    expect(() => parseImageSet(bad, 'The MNIST data file')).toThrow(/The MNIST data file is not a playground dataset file: it does not start with "DRTS"/);
    expect(() => parseImageSet(gzipSync(bytes))).toThrow(/still gzip-compressed/);
    const v2 = bytes.slice();
    v2[4] = 2;
    expect(() => parseImageSet(v2)).toThrow(/format version 2/);
  });

  it('rejects truncated files and size mismatches with a DataFormatError', () => {
    const bytes = encodeImageSet(tinySet());
    expect(() => parseImageSet(bytes.subarray(0, 5))).toThrow(/truncated: 5 bytes/);
    expect(() => parseImageSet(bytes.subarray(0, 20))).toThrow(/truncated: its header needs/);
    expect(() => parseImageSet(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated: .*promises 5 \+ 3 images of 3×2×2/);
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);
    expect(() => parseImageSet(longer)).toThrow(/4 bytes more than/);
    try {
      parseImageSet(bytes.subarray(0, 40));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DataFormatError);
    }
  });

  it('rejects a corrupt header and out-of-range labels', () => {
    const bytes = encodeImageSet(tinySet());
    const badJson = bytes.slice();
    badJson[12] = '['.charCodeAt(0) + 100;
    expect(() => parseImageSet(badJson)).toThrow(/corrupt header/);
    const set = tinySet();
    set.classNames = ['a', 'b'];
    expect(() => parseImageSet(encodeImageSet(set))).toThrow(/classNames lists 2 names for 3 classes/);
    const badLabel = bytes.slice();
    badLabel[bytes.length - 1] = 3; // last test label
    expect(() => parseImageSet(badLabel)).toThrow(/test image 2 has label 3, but there are only 3 classes/);
  });

  it('gunzipIfNeeded decompresses gzip and passes other bytes through', async () => {
    const bytes = encodeImageSet(tinySet());
    const gz = new Uint8Array(gzipSync(bytes));
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(bytes)).toBe(false);
    expect(Array.from(await gunzipIfNeeded(gz))).toEqual(Array.from(bytes));
    expect(await gunzipIfNeeded(bytes)).toBe(bytes);
    const broken = gz.slice(0, gz.length - 20);
    await expect(gunzipIfNeeded(broken, 'The MNIST data file')).rejects.toThrow(/The MNIST data file is corrupt: it could not be decompressed/);
  });
});

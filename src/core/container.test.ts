import { describe, expect, it } from 'vitest';
import { containerHeader, decodeContainer, encodeContainer, replaceContainerHeader } from './container';

const fail = (m: string): never => {
  throw new Error(m);
};
const ok = () => {};

describe('the DRUN / DSTD container', () => {
  const bytes = encodeContainer('TEST', 3, { a: 'é' }, [Float32Array.from([1.5, -2]), Float32Array.from([3])]);

  it('round-trips the header, the version and the floats', () => {
    const d = decodeContainer(bytes, 'TEST', 'hint', ok, fail);
    expect(d.version).toBe(3);
    expect(d.header).toEqual({ a: 'é' });
    expect(Array.from(d.floats)).toEqual([1.5, -2, 3]);
    expect(d.dataStart % 4).toBe(0);
    expect(containerHeader(bytes)).toEqual({ a: 'é' });
  });

  it('reads a view into a larger buffer at any offset (e.g. a pooled Node Buffer)', () => {
    const pool = new Uint8Array(bytes.length + 7).fill(9);
    pool.set(bytes, 5);
    const d = decodeContainer(pool.subarray(5, 5 + bytes.length), 'TEST', 'hint', ok, fail);
    expect(Array.from(d.floats)).toEqual([1.5, -2, 3]);
  });

  it('names the wrong magic, the version check runs first, and a truncated header is caught', () => {
    expect(() => decodeContainer(bytes, 'NOPE', 'make one', ok, fail)).toThrow('it does not start with "NOPE" (make one).');
    expect(() => decodeContainer(bytes, 'TEST', '', (v) => fail(`version ${v}`), fail)).toThrow('version 3');
    expect(() => decodeContainer(bytes.subarray(0, 14), 'TEST', '', ok, fail)).toThrow(/truncated/);
  });

  it('replaceContainerHeader keeps the data', () => {
    const r = replaceContainerHeader(bytes, { b: [1, 2, 3, 4, 5] });
    const d = decodeContainer(r, 'TEST', '', ok, fail);
    expect(d.header).toEqual({ b: [1, 2, 3, 4, 5] });
    expect(Array.from(d.floats)).toEqual([1.5, -2, 3]);
  });
});

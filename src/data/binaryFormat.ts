/**
 * The binary format of the built-in datasets (public/data/<id>.bin, written by
 * scripts/build-data.mjs, served gzip-compressed). Pure TypeScript: runs in Node, in the page and
 * in the web worker.
 *
 * Layout (all integers little-endian):
 *
 *   offset  size  field
 *   0       4     magic, ASCII "DRTS"
 *   4       2     format version (uint16) = 1
 *   6       2     reserved (uint16) = 0
 *   8       4     header length L in bytes (uint32)
 *   12      L     header, UTF-8 JSON: { id, name, height, width, channels, numClasses, classNames,
 *                 trainCount, testCount, source, license, flipSafe }
 *   12+L          train pixels: trainCount · height · width · channels uint8, NHWC
 *   ...           train labels: trainCount uint8
 *   ...           test pixels:  testCount · height · width · channels uint8
 *   ...           test labels:  testCount uint8   (end of file: no trailing bytes)
 *
 * Error messages name the file and say what is wrong; they are shown to users.
 */
import type { ImageSetSummary, ImageSplit, RawImageSet } from './types';

export const DATA_MAGIC = 'DRTS';
export const DATA_FORMAT_VERSION = 1;
const FIXED = 12;

/** The JSON header of a dataset file. */
export type DataHeader = ImageSetSummary;

/** A dataset file that cannot be read: `message` says what is wrong (shown to users). */
export class DataFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataFormatError';
  }
}

/** Encode a RawImageSet in the layout above (uncompressed). Used by tests; the build script has its own copy. */
export function encodeImageSet(set: RawImageSet): Uint8Array {
  const header: DataHeader = {
    id: set.id,
    name: set.name,
    height: set.height,
    width: set.width,
    channels: set.channels,
    numClasses: set.numClasses,
    classNames: set.classNames,
    trainCount: set.train.n,
    testCount: set.test.n,
    source: set.source,
    license: set.license,
    flipSafe: set.flipSafe,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const size = set.height * set.width * set.channels;
  for (const [what, s] of [['train', set.train], ['test', set.test]] as const) {
    if (s.x.length !== s.n * size || s.y.length !== s.n) {
      throw new RangeError(`encodeImageSet: the ${what} split holds ${s.x.length} pixels and ${s.y.length} labels for ${s.n} images`);
    }
  }
  const out = new Uint8Array(FIXED + json.length + (set.train.n + set.test.n) * (size + 1));
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = DATA_MAGIC.charCodeAt(i);
  view.setUint16(4, DATA_FORMAT_VERSION, true);
  view.setUint16(6, 0, true);
  view.setUint32(8, json.length, true);
  let o = FIXED;
  out.set(json, o);
  o += json.length;
  for (const s of [set.train, set.test]) {
    out.set(s.x, o);
    o += s.x.length;
    out.set(s.y, o);
    o += s.y.length;
  }
  return out;
}

const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function checkHeader(h: unknown, what: string): DataHeader {
  const bad = (field: string, why: string) => new DataFormatError(`${what} has an invalid header: ${field} ${why}.`);
  if (typeof h !== 'object' || h === null || Array.isArray(h)) throw new DataFormatError(`${what} has an invalid header (not a JSON object).`);
  const r = h as Record<string, unknown>;
  for (const k of ['id', 'name', 'source', 'license'] as const) if (typeof r[k] !== 'string') throw bad(k, 'is not a string');
  for (const k of ['height', 'width', 'channels', 'numClasses'] as const) if (!isPosInt(r[k])) throw bad(k, `must be a positive integer, got ${String(r[k])}`);
  for (const k of ['trainCount', 'testCount'] as const) if (!isCount(r[k])) throw bad(k, `must be a non-negative integer, got ${String(r[k])}`);
  if (typeof r.flipSafe !== 'boolean') throw bad('flipSafe', 'is not true or false');
  if (!Array.isArray(r.classNames) || r.classNames.some((c) => typeof c !== 'string')) throw bad('classNames', 'is not a list of names');
  if (r.classNames.length !== r.numClasses) throw bad('classNames', `lists ${r.classNames.length} names for ${String(r.numClasses)} classes`);
  if ((r.numClasses as number) > 256) throw bad('numClasses', 'exceeds 256 (labels are single bytes)');
  return r as unknown as DataHeader;
}

/**
 * Parse an (already gunzipped) dataset file. `what` names it in error messages, e.g.
 * "The MNIST data file". Throws DataFormatError for a wrong magic or version, a truncated file,
 * a malformed header, sizes that do not match the header, or out-of-range labels. The returned
 * pixel and label arrays are views into `bytes` (no copy).
 */
export function parseImageSet(bytes: Uint8Array, what = 'The dataset file'): RawImageSet {
  if (bytes.length < FIXED) {
    throw new DataFormatError(`${what} is truncated: ${bytes.length} bytes, too short for a header.`);
  }
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== DATA_MAGIC) {
    const gz = bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (it is still gzip-compressed)' : '';
    throw new DataFormatError(`${what} is not a playground dataset file${gz}: it does not start with "${DATA_MAGIC}".`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (version !== DATA_FORMAT_VERSION) {
    throw new DataFormatError(
      `${what} has format version ${version}; this version of the playground reads version ${DATA_FORMAT_VERSION}.`,
    );
  }
  const headerLen = view.getUint32(8, true);
  if (FIXED + headerLen > bytes.length) {
    throw new DataFormatError(`${what} is truncated: its header needs ${headerLen} bytes, only ${bytes.length - FIXED} are there.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(FIXED, FIXED + headerLen)));
  } catch (e) {
    throw new DataFormatError(`${what} has a corrupt header (${(e as Error).message}).`);
  }
  const h = checkHeader(parsed, what);
  const size = h.height * h.width * h.channels;
  const expected = FIXED + headerLen + (h.trainCount + h.testCount) * (size + 1);
  if (bytes.length < expected) {
    throw new DataFormatError(
      `${what} is truncated: ${bytes.length.toLocaleString('en-US')} bytes, but its header promises ` +
        `${h.trainCount} + ${h.testCount} images of ${h.height}×${h.width}×${h.channels} (${expected.toLocaleString('en-US')} bytes).`,
    );
  }
  if (bytes.length > expected) {
    throw new DataFormatError(
      `${what} does not match its header: ${(bytes.length - expected).toLocaleString('en-US')} bytes more than ` +
        `${h.trainCount} + ${h.testCount} images of ${h.height}×${h.width}×${h.channels} need.`,
    );
  }
  let o = FIXED + headerLen;
  const split = (n: number, name: string): ImageSplit => {
    const x = bytes.subarray(o, o + n * size);
    o += n * size;
    const y = bytes.subarray(o, o + n);
    o += n;
    for (let i = 0; i < n; i++) {
      if (y[i] >= h.numClasses) {
        throw new DataFormatError(`${what} is corrupt: ${name} image ${i} has label ${y[i]}, but there are only ${h.numClasses} classes.`);
      }
    }
    return { n, x, y };
  };
  const train = split(h.trainCount, 'training');
  const test = split(h.testCount, 'test');
  return {
    id: h.id,
    name: h.name,
    height: h.height,
    width: h.width,
    channels: h.channels,
    numClasses: h.numClasses,
    classNames: [...h.classNames],
    train,
    test,
    source: h.source,
    license: h.license,
    flipSafe: h.flipSafe,
  };
}

/** Whether the bytes start with the gzip magic 0x1f 0x8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Gunzip `bytes` if they are gzip data (magic 0x1f 0x8b), else return them unchanged: a server
 * that sends `Content-Encoding: gzip` has already had them decoded by the browser. Uses the
 * standard `DecompressionStream('gzip')` (Chromium, Firefox, Safari 16.4+, Node 18+).
 */
export async function gunzipIfNeeded(bytes: Uint8Array, what = 'The dataset file'): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  if (typeof DecompressionStream === 'undefined') {
    throw new DataFormatError(`${what} is gzip-compressed, but this browser cannot decompress it (no DecompressionStream). Use a current browser.`);
  }
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new DataFormatError(`${what} is corrupt: it could not be decompressed (${(e as Error).message}).`);
  }
}

/**
 * The binary container that the run file ("DRUN", runFile.ts) and the PyTorch weights export
 * ("DSTD", stateDict.ts) share:
 *
 *   bytes 0–3   magic (4 ASCII characters)
 *   bytes 4–7   format version, uint32 little-endian
 *   bytes 8–11  header length n, uint32 little-endian
 *   bytes 12…   the header: UTF-8 JSON, n bytes, zero-padded to a multiple of 4
 *   then        float32 little-endian data; the header says which range is which tensor
 *
 * Each format keeps its own header schema and messages; this module only packs and unpacks.
 */

/** Little-endian host (every browser and Node platform in practice): float data copies as is. */
const LE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Header + float blobs (concatenated in order) → file bytes. */
export function encodeContainer(magic: string, version: number, header: unknown, blobs: readonly Float32Array[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = 12 + Math.ceil(json.length / 4) * 4;
  const count = blobs.reduce((s, b) => s + b.length, 0);
  const out = new Uint8Array(dataStart + count * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = magic.charCodeAt(i);
  view.setUint32(4, version, true);
  view.setUint32(8, json.length, true);
  out.set(json, 12);
  let at = 0;
  for (const b of blobs) {
    if (LE) new Float32Array(out.buffer, dataStart + at * 4, b.length).set(b);
    else for (let i = 0; i < b.length; i++) view.setFloat32(dataStart + (at + i) * 4, b[i], true);
    at += b.length;
  }
  return out;
}

export interface DecodedContainer {
  version: number;
  /** The parsed JSON header (unchecked: the format's own schema checks it). */
  header: unknown;
  /** Byte offset of the float data. */
  dataStart: number;
  /** Every whole float32 after the header, copied out of the file (so any input buffer is safe). */
  floats: Float32Array;
}

/**
 * Check the magic and the header framing, parse the header JSON and copy the float data.
 * `fail` throws the format's own error; `hint` says where a right file comes from; `checkVersion`
 * words the format's own version message (it runs right after the magic check).
 */
export function decodeContainer(
  bytes: Uint8Array,
  magic: string,
  hint: string,
  checkVersion: (version: number) => void,
  fail: (message: string) => never,
): DecodedContainer {
  if (bytes.length < 12 || String.fromCharCode(...bytes.subarray(0, 4)) !== magic) fail(`it does not start with "${magic}" (${hint}).`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  checkVersion(version);
  const n = view.getUint32(8, true);
  if (12 + n > bytes.length) fail(`the header claims ${n} bytes but the file has ${bytes.length - 12} after the first 12 (truncated).`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + n)));
  } catch (e) {
    return fail(`the header is not valid JSON (${(e as Error).message}).`);
  }
  const dataStart = 12 + Math.ceil(n / 4) * 4;
  const count = Math.max(0, Math.floor((bytes.length - dataStart) / 4));
  const floats = new Float32Array(count);
  if (LE) new Uint8Array(floats.buffer).set(bytes.subarray(dataStart, dataStart + count * 4));
  else for (let i = 0; i < count; i++) floats[i] = view.getFloat32(dataStart + i * 4, true);
  return { version, header, dataStart, floats };
}

/** The JSON header of a container, without checks (for tools that only read metadata). */
export function containerHeader(bytes: Uint8Array): unknown {
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + n)));
}

/** The same file with its JSON header replaced and the float data kept (tests and fuzzing). */
export function replaceContainerHeader(bytes: Uint8Array, header: unknown): Uint8Array {
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  const data = bytes.subarray(12 + Math.ceil(n / 4) * 4);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = 12 + Math.ceil(json.length / 4) * 4;
  const out = new Uint8Array(start + data.length);
  out.set(bytes.subarray(0, 8));
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  out.set(data, start);
  return out;
}

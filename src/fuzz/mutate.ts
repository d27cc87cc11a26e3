/**
 * Mutations of a valid input, so that fuzzing reaches deep into a parser instead of stopping at
 * its first check: replace or delete one value somewhere inside a JSON value, or edit a text a
 * few characters at a time. Pure functions of their arguments (fast-check supplies the numbers).
 */

/** Every path inside a JSON value, the root included ([] is the root). */
export function jsonPaths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => jsonPaths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) jsonPaths(x, [...at, k], out);
  return out;
}

const DELETE = Symbol('delete');

/** A deep copy of `v` with the value at `path` replaced by `next` (or removed, for DELETE). */
function replaceAt(v: unknown, path: readonly (string | number)[], next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  if (Array.isArray(v)) {
    const copy = v.slice();
    const i = head as number;
    if (rest.length === 0 && next === DELETE) copy.splice(i, 1);
    else copy[i] = replaceAt(v[i], rest, next);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  if (rest.length === 0 && next === DELETE) delete copy[head as string];
  else copy[head as string] = replaceAt(copy[head as string], rest, next);
  return copy;
}

/** `base` with the `pick`-th of its paths (modulo their count) replaced by `value`, or deleted. */
export function mutateJson(base: unknown, pick: number, value: unknown, del: boolean): unknown {
  const paths = jsonPaths(base);
  const path = paths[pick % paths.length];
  if (del && path.length > 0) return replaceAt(base, path, DELETE);
  return replaceAt(base, path, value);
}

export interface TextEdit {
  at: number;
  /** Characters removed at `at`. */
  remove: number;
  insert: string;
}

/** `text` with each edit applied in turn (positions taken modulo the current length). */
export function editText(text: string, edits: readonly TextEdit[]): string {
  let s = text;
  for (const e of edits) {
    const at = s.length === 0 ? 0 : e.at % (s.length + 1);
    s = s.slice(0, at) + e.insert + s.slice(at + e.remove);
  }
  return s;
}

/** `bytes` with some bytes overwritten and the end cut at `cut` (modulo the length + 1). */
export function editBytes(bytes: Uint8Array, flips: readonly [number, number][], cut: number | null): Uint8Array {
  const b = bytes.slice();
  for (const [i, v] of flips) if (b.length > 0) b[i % b.length] = v;
  return cut === null ? b : b.subarray(0, cut % (b.length + 1));
}

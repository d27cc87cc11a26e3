/**
 * TeX helpers shared by the tour and the edge inspector: pure string work, no KaTeX, so modules in
 * the main bundle (slow motion) can use them without pulling KaTeX in. Typesetting is in
 * texRender.ts; the stylesheet is imported once, by `Tex.tsx`.
 *
 * Markup of prose: `$…$` is inline maths, `$$…$$` is a display formula (as in LaTeX/Markdown).
 * A literal dollar sign is written `\$`.
 */
export type MathSegment = { kind: 'text'; text: string } | { kind: 'math'; tex: string; display: boolean };

/** Split prose into text and formula segments. Throws on an unclosed `$` (caught by the tests). */
export function splitMath(source: string): MathSegment[] {
  const out: MathSegment[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '\\' && source[i + 1] === '$') {
      text += '$';
      i += 2;
      continue;
    }
    if (ch !== '$') {
      text += ch;
      i += 1;
      continue;
    }
    const display = source[i + 1] === '$';
    const open = display ? 2 : 1;
    const close = display ? '$$' : '$';
    const end = findClose(source, i + open, close);
    if (end < 0) throw new Error(`unclosed ${close} at ${i} in: ${source.slice(i, i + 40)}`);
    if (text) out.push({ kind: 'text', text });
    text = '';
    out.push({ kind: 'math', tex: source.slice(i + open, end).trim(), display });
    i = end + close.length;
  }
  if (text) out.push({ kind: 'text', text });
  return out;
}

/** Index of the closing delimiter, skipping `\$` inside the formula. */
function findClose(s: string, from: number, close: string): number {
  for (let j = from; j < s.length; j++) {
    if (s[j] === '\\') {
      j += 1;
      continue;
    }
    if (s.startsWith(close, j)) return j;
  }
  return -1;
}

/** Every formula of a piece of prose, for tests. */
export function formulasOf(source: string): string[] {
  return splitMath(source).flatMap((s) => (s.kind === 'math' ? [s.tex] : []));
}

/** An op name as upright TeX text: `sep_conv_3x3` → `\text{sep\_conv\_3x3}`. */
export function texOp(op: string): string {
  return `\\text{${op.replace(/[\\{}$&#%^~]/g, '').replace(/_/g, '\\_')}}`;
}

/** A DARTS state name as TeX: 0 → `c_{k-2}`, 1 → `c_{k-1}`, j ≥ 2 → the node number j−2. */
export function texState(j: number): string {
  return j === 0 ? 'c_{k-2}' : j === 1 ? 'c_{k-1}' : String(j - 2);
}

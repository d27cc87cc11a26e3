/**
 * A name the user supplied, made safe to put in a message: in double quotes, with control and
 * bidirectional-override characters written as \uXXXX escapes (so a U+202E in an imported op
 * name cannot reverse the rest of the message on screen), and cut to `max` characters.
 */
// C0/C1 controls, the bidi embeddings/overrides/isolates and marks, zero-width characters, BOM.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function quoted(s: string, max = 80): string {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  return `"${cut.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

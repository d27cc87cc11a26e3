/**
 * Typesetting with KaTeX (kept apart from tex.ts so that only the lazily loaded tour and inspector
 * bundle KaTeX).
 */
import katex from 'katex';

/**
 * Typeset TeX to an HTML string. In the app `throwOnError` stays false: a bad formula shows in red
 * instead of breaking the page; the tests pass true so that no bad formula ships.
 */
export function renderTex(tex: string, display = false, throwOnError = false): string {
  return katex.renderToString(tex, { displayMode: display, throwOnError, output: 'htmlAndMathml', strict: 'ignore' });
}

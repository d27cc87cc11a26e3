import { describe, expect, it } from 'vitest';
import { lineColumn, parseJsonText } from './jsonText';
import { closest, didYouMean, editDistance } from './suggest';

const err = (text: string) => {
  const r = parseJsonText(text);
  if (r.ok) throw new Error('expected a parse error');
  return r;
};

describe('parseJsonText', () => {
  it('parses valid JSON', () => {
    expect(parseJsonText(' {"a": [1, 2.5e3, -0, "x\\u00e9", true, null]} ')).toEqual({
      ok: true,
      value: { a: [1, 2500, -0, 'xé', true, null] },
    });
  });

  it.each([
    ['{"a": 1,}', 1, 9, 'expected another property after "," (trailing commas are not allowed in JSON) but found "}"'],
    ['[1 2]', 1, 4, 'expected "," or "]" after an array element but found "2"'],
    ['{"a" 1}', 1, 6, 'expected ":" after the property name but found "1"'],
    ['{"a": tru}', 1, 7, 'expected a JSON value (object, array, string, number, true, false or null) but found "t"'],
    ['{\n"a": "x\n"}', 2, 8, 'control character or line break inside a string'],
    ['{"a": "x', 1, 7, 'unterminated string (missing closing ")'],
    ['{"a": 1} x', 1, 10, 'expected the end of the text after the JSON value but found "x"'],
    ['{"a": 01}', 1, 8, 'expected "," or "}" after a property value but found "1"'],
    ['"\\q"', 1, 2, 'invalid escape sequence \\q'],
    ['', 1, 1, 'expected a JSON value (object, array, string, number, true, false or null) but found the end of the text'],
  ])('%j → line %i, column %i', (text, line, column, message) => {
    const r = err(text);
    expect({ line: r.line, column: r.column }).toEqual({ line, column });
    expect(r.message).toBe(`line ${line}, column ${column}: ${message}`);
  });

  it('lineColumn is 1-based', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('suggest', () => {
  it('edit distance and closest match', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('lyers', ['layers', 'steps'])).toBe('layers');
    expect(closest('completely_else', ['layers', 'steps'])).toBeUndefined();
    expect(didYouMean('Sep_Conv_3x3', ['sep_conv_3x3'])).toBe(' (did you mean "sep_conv_3x3"?)');
    expect(didYouMean('zzz', ['layers'])).toBe('');
  });
});

/**
 * JSON parsing with an error that says WHERE the text is malformed (line, column, offset) and
 * what was expected. `JSON.parse` messages differ between engines and, in recent V8, often omit
 * the position, so on failure we re-scan the text with a tiny strict JSON recogniser (RFC 8259)
 * to locate the first error. Used for configs (CLI, UI, URL) and genotype imports.
 */

export type JsonParseResult =
  | { ok: true; value: unknown }
  | { ok: false; message: string; offset: number; line: number; column: number };

/** 1-based line and column of a 0-based character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return { line, column: col };
}

/** Short printable view of the character at `i` for messages. */
function shown(text: string, i: number): string {
  if (i >= text.length) return 'the end of the text';
  const ch = text[i];
  if (ch === '\n') return 'a line break';
  if (ch === "'") return `"'" (JSON strings need double quotes)`;
  return JSON.stringify(ch);
}

class JsonSyntax extends Error {
  constructor(
    public readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** Strict recursive-descent recogniser; throws JsonSyntax at the first error. */
function scan(text: string): void {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (what: string): never => {
    throw new JsonSyntax(i, `expected ${what} but found ${shown(text, i)}`);
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail('a JSON value (object, array, string, number, true, false or null)');
  };
  const string = () => {
    const start = i;
    i++; // opening quote
    for (;;) {
      if (i >= text.length) throw new JsonSyntax(start, 'unterminated string (missing closing ")');
      const ch = text.charCodeAt(i);
      if (ch === 0x22) {
        i++;
        return;
      }
      if (ch < 0x20) throw new JsonSyntax(i, 'control character or line break inside a string');
      if (ch === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            throw new JsonSyntax(i, 'invalid \\u escape (needs 4 hex digits)');
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new JsonSyntax(i, `invalid escape sequence \\${e ?? ''}`);
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail('a number');
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a property name in double quotes');
        string();
        ws();
        if (text[i] !== ':') fail('":" after the property name');
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === '}') fail('another property after "," (trailing commas are not allowed in JSON)');
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail('"," or "}" after a property value');
      }
    } else if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === ']') fail('another value after "," (trailing commas are not allowed in JSON)');
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail('"," or "]" after an array element');
      }
    } else if (ch === '"') string();
    else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) number();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else fail('a JSON value (object, array, string, number, true, false or null)');
  };
  value();
  ws();
  if (i < text.length) fail('the end of the text after the JSON value');
}

/**
 * Parse JSON; on failure return the position (1-based line/column and 0-based offset) and a
 * message such as `line 3, column 5: expected "," or "}" after a property value but found "]"`.
 */
export function parseJsonText(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    let offset = 0;
    let what = err instanceof Error ? err.message : String(err);
    try {
      scan(text);
    } catch (e) {
      if (e instanceof JsonSyntax) {
        offset = e.offset;
        what = e.message;
      }
    }
    const { line, column } = lineColumn(text, offset);
    return { ok: false, message: `line ${line}, column ${column}: ${what}`, offset, line, column };
  }
}

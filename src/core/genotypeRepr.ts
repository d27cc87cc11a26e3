/**
 * The reference's printed genotype (Python namedtuple repr, spec §4.2), both ways:
 *
 *   Genotype(normal=[('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ...], normal_concat=range(2, 6),
 *            reduce=[...], reduce_concat=[2, 3, 4, 5])
 *
 * The parser accepts what users copy from logs and from genotypes.py: an optional `genotype = `
 * (or any `NAME = `) prefix, keyword arguments in any order or positional ones in field order,
 * lists or tuples, `range(a, b)` / `range(b)` / `list(range(...))`, single or double quotes,
 * trailing commas, `#` comments and arbitrary whitespace/newlines. It returns plain values;
 * `validateGenotype` (genotype.ts) then checks ops, inputs and concat. Syntax errors name the
 * line and column.
 */
import type { Genotype, GenotypePair } from './genotype';
import { lineColumn } from './jsonText';

type Tok =
  | { kind: 'ident'; text: string; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; text: string; pos: number }
  | { kind: 'punct'; text: string; pos: number }
  | { kind: 'eof'; pos: number };

class ReprSyntax extends Error {
  constructor(
    public readonly pos: number,
    message: string,
  ) {
    super(message);
  }
}

const FIELDS = ['normal', 'normal_concat', 'reduce', 'reduce_concat'] as const;
type Field = (typeof FIELDS)[number];
/** Longest `range(...)` we expand; real concat lists have a handful of entries. */
const MAX_RANGE = 1000;

function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i))!;
      toks.push({ kind: 'ident', text: m[0], pos: i });
      i += m[0].length;
    } else if (/[-+0-9]/.test(ch)) {
      const m = /^[-+]?\d+(\.\d*)?([eE][-+]?\d+)?/.exec(text.slice(i));
      if (!m) throw new ReprSyntax(i, `unexpected ${JSON.stringify(ch)}`);
      toks.push({ kind: 'number', value: Number(m[0]), text: m[0], pos: i });
      i += m[0].length;
    } else if (ch === "'" || ch === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== ch) {
        if (text[j] === '\n') break;
        if (text[j] === '\\' && j + 1 < text.length) {
          value += text[j + 1];
          j += 2;
        } else value += text[j++];
      }
      if (text[j] !== ch) throw new ReprSyntax(i, `unterminated string: missing the closing ${ch}`);
      toks.push({ kind: 'string', value, pos: i });
      i = j + 1;
    } else if ('()[],='.includes(ch)) {
      toks.push({ kind: 'punct', text: ch, pos: i });
      i++;
    } else {
      throw new ReprSyntax(i, `unexpected character ${JSON.stringify(ch)}`);
    }
  }
  toks.push({ kind: 'eof', pos: text.length });
  return toks;
}

function tokText(t: Tok): string {
  switch (t.kind) {
    case 'eof':
      return 'the end of the text';
    case 'string':
      return `the string '${t.value}'`;
    case 'number':
      return t.text;
    default:
      return `"${t.text}"`;
  }
}

type Value = string | number | Value[];

class Parser {
  private k = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(offset = 0): Tok {
    return this.toks[Math.min(this.k + offset, this.toks.length - 1)];
  }
  private next(): Tok {
    return this.toks[this.k++];
  }
  private isPunct(t: Tok, p: string): boolean {
    return t.kind === 'punct' && t.text === p;
  }
  private expect(p: string, context: string): void {
    const t = this.next();
    if (!this.isPunct(t, p)) throw new ReprSyntax(t.pos, `expected "${p}" ${context} but found ${tokText(t)}`);
  }

  /** top := [NAME '='] 'Genotype' '(' args ')' EOF */
  parseTop(): Record<Field, Value> {
    if (this.peek().kind === 'ident' && this.isPunct(this.peek(1), '=') && (this.peek() as { text: string }).text !== 'Genotype') {
      this.k += 2; // `genotype = ` prefix
    }
    const head = this.next();
    if (head.kind !== 'ident' || !/(^|\.)Genotype$/.test(head.text)) {
      throw new ReprSyntax(head.pos, `expected "Genotype(" but found ${tokText(head)}`);
    }
    this.expect('(', 'after "Genotype"');
    const out: Partial<Record<Field, Value>> = {};
    let positional = 0;
    let sawKeyword = false;
    while (!this.isPunct(this.peek(), ')')) {
      const t = this.peek();
      if (t.kind === 'ident' && this.isPunct(this.peek(1), '=')) {
        this.k += 2;
        if (!(FIELDS as readonly string[]).includes(t.text)) {
          throw new ReprSyntax(t.pos, `Genotype has no field "${t.text}"; its fields are ${FIELDS.join(', ')}`);
        }
        const f = t.text as Field;
        if (f in out) throw new ReprSyntax(t.pos, `field "${f}" is given twice`);
        out[f] = this.parseValue();
        sawKeyword = true;
      } else {
        if (sawKeyword) throw new ReprSyntax(t.pos, 'a positional argument cannot follow a keyword argument');
        if (positional >= FIELDS.length) throw new ReprSyntax(t.pos, `Genotype takes 4 fields (${FIELDS.join(', ')}); found a fifth`);
        out[FIELDS[positional++]] = this.parseValue();
      }
      if (this.isPunct(this.peek(), ',')) this.next();
      else if (!this.isPunct(this.peek(), ')')) {
        const bad = this.peek();
        throw new ReprSyntax(bad.pos, `expected "," or ")" in Genotype(...) but found ${tokText(bad)}`);
      }
    }
    this.next(); // ')'
    const end = this.next();
    if (end.kind !== 'eof') throw new ReprSyntax(end.pos, `unexpected ${tokText(end)} after the closing ")" of Genotype(...)`);
    return out as Record<Field, Value>;
  }

  /** value := list | tuple | range(...) | list(...) | STRING | NUMBER */
  private parseValue(): Value {
    const t = this.next();
    if (t.kind === 'string') return t.value;
    if (t.kind === 'number') return t.value;
    if (this.isPunct(t, '[')) return this.parseSeq(']');
    if (this.isPunct(t, '(')) return this.parseSeq(')');
    if (t.kind === 'ident' && t.text === 'range') return this.parseRange(t.pos);
    if (t.kind === 'ident' && (t.text === 'list' || t.text === 'tuple')) {
      this.expect('(', `after "${t.text}"`);
      const v = this.parseValue();
      this.expect(')', `to close "${t.text}("`);
      return v;
    }
    throw new ReprSyntax(t.pos, `expected a value (a list, a tuple, range(a, b), a quoted op name or an integer) but found ${tokText(t)}`);
  }

  private parseSeq(close: ']' | ')'): Value[] {
    const items: Value[] = [];
    while (!this.isPunct(this.peek(), close)) {
      items.push(this.parseValue());
      if (this.isPunct(this.peek(), ',')) this.next();
      else if (!this.isPunct(this.peek(), close)) {
        const bad = this.peek();
        throw new ReprSyntax(bad.pos, `expected "," or "${close}" but found ${tokText(bad)}`);
      }
    }
    this.next();
    return items;
  }

  /** range(b) | range(a, b) | range(a, b, step), expanded like Python. */
  private parseRange(pos: number): number[] {
    this.expect('(', 'after "range"');
    const args: number[] = [];
    while (!this.isPunct(this.peek(), ')')) {
      const t = this.next();
      if (t.kind !== 'number' || !Number.isInteger(t.value)) {
        throw new ReprSyntax(t.pos, `range() takes integers, found ${tokText(t)}`);
      }
      args.push(t.value);
      if (this.isPunct(this.peek(), ',')) this.next();
      else if (!this.isPunct(this.peek(), ')')) {
        const bad = this.peek();
        throw new ReprSyntax(bad.pos, `expected "," or ")" in range() but found ${tokText(bad)}`);
      }
    }
    this.next();
    if (args.length < 1 || args.length > 3) throw new ReprSyntax(pos, `range() takes 1 to 3 integers, found ${args.length}`);
    const [a, b, step] = args.length === 1 ? [0, args[0], 1] : [args[0], args[1], args[2] ?? 1];
    if (step === 0) throw new ReprSyntax(pos, 'range() step must not be zero');
    const out: number[] = [];
    for (let v = a; step > 0 ? v < b : v > b; v += step) {
      out.push(v);
      if (out.length > MAX_RANGE) throw new ReprSyntax(pos, `range(${args.join(', ')}) is too long for a concat list`);
    }
    return out;
  }
}

/**
 * Parse the reference repr into plain values `{normal, normal_concat, reduce, reduce_concat}`
 * without checking their meaning (that is `validateGenotype`'s job). Missing fields are absent.
 */
export function parseGenotypeReprRaw(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  try {
    return { ok: true, value: new Parser(tokenize(text)).parseTop() };
  } catch (e) {
    if (e instanceof ReprSyntax) {
      const { line, column } = lineColumn(text, e.pos);
      return { ok: false, error: `genotype repr, line ${line}, column ${column}: ${e.message}` };
    }
    throw e;
  }
}

const pairsRepr = (pairs: readonly GenotypePair[]) => `[${pairs.map(([op, j]) => `('${op}', ${j})`).join(', ')}]`;

/** `range(a, b)` when the list is a contiguous ascending run, else the Python list `[a, b, ...]`. */
function concatRepr(c: readonly number[]): string {
  const contiguous = c.length > 0 && c.every((v, k) => v === c[0] + k);
  return contiguous ? `range(${c[0]}, ${c[0] + c.length})` : `[${c.join(', ')}]`;
}

/**
 * Print a genotype exactly like the reference logs it (spec §4.2), ready to paste into
 * genotypes.py: `Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=range(2, 6), ...)`.
 * A contiguous concat prints as `range(a, b)`, any other as a list.
 */
export function printGenotypeRepr(g: Genotype): string {
  return (
    `Genotype(normal=${pairsRepr(g.normal)}, normal_concat=${concatRepr(g.normal_concat)}, ` +
    `reduce=${pairsRepr(g.reduce)}, reduce_concat=${concatRepr(g.reduce_concat)})`
  );
}

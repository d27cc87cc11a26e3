/**
 * Reading the log of the reference search, quark0/darts `cnn/train_search.py` (issue 12 item 3.1),
 * and turning it into a replay (replay.ts) that the app plays and scrubs like its own recordings.
 *
 * ## What the reference writes (spec §3.6)
 *
 * `logging` lines carry a time stamp (`log_format = '%(asctime)s %(message)s'`, datefmt
 * `%m/%d %I:%M:%S %p`); `print()` output does not:
 *
 *   12/05 10:11:09 AM args = Namespace(arch_learning_rate=0.0003, batch_size=64, init_channels=16, ...)
 *   12/05 10:11:12 AM param size = 1.930618MB
 *   12/05 10:11:12 AM epoch 0 lr 2.500000e-02               ← start of epoch e: lr(e), spec §3.1
 *   12/05 10:11:12 AM genotype = Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=range(2, 6), ...)
 *   tensor([[0.1250, 0.1249, ...],                           ← print(F.softmax(alphas_normal, dim=-1))
 *           ...], device='cuda:0', grad_fn=<SoftmaxBackward>)
 *   tensor([[...]], ...)                                     ← print(F.softmax(alphas_reduce, dim=-1))
 *   12/05 10:11:40 AM train 000 2.318e+00 10.937500 51.562500   ← every report_freq steps: step, loss, top1, top5 (running averages)
 *   12/05 10:25:01 AM train_acc 42.412000
 *   12/05 10:25:03 AM valid 000 1.52e+00 45.312500 92.187500
 *   12/05 10:26:30 AM valid_acc 44.836000
 *
 * PyTorch 0.3 (the version the reference was written for) prints a Variable instead:
 *
 *   Variable containing:
 *    0.1250  0.1250  0.1250 ...           (maybe preceded by a common factor line ` 1.00000e-02 *`,
 *    ...                                    and split into `Columns 0 to 5` / `Columns 6 to 7` blocks)
 *   [torch.cuda.FloatTensor of size 14x8 (GPU 0)]
 *
 * Modern PyTorch wraps long rows over several lines (scientific notation such as `1.2500e-01` is
 * wider than 80 columns). Both styles, wrapped or not, are read here. Note that the log FILE
 * (`log.txt`, written by the logging handler) holds no print() output: the matrices are only in
 * the captured console output, e.g. `python train_search.py 2>&1 | tee search.log`.
 *
 * ## What the replay shows
 *
 * The genotype and matrices logged at "epoch e" are α at the START of epoch e, i.e. after e
 * epochs of updates (spec §3.6). So frame e is drawn at step e · steps-per-epoch, and carries the
 * train/valid metrics logged during epoch e − 1, which ended exactly there. The metrics of the
 * last epoch have no frame: α after the last epoch is never logged (spec §3.6); they are kept in
 * `epochs[last]` and named in the replay's note. Steps per epoch are the reference's
 * ceil(⌊50000 · train_portion⌋ / batch_size) (CIFAR-10, spec §3.2: 391) when the args line is
 * there, or given by the caller; otherwise the step axis counts epochs.
 *
 * ## Checks
 *
 * Every logged genotype is compared with the `_parse` rule (derive.ts, spec §4.1) applied to the
 * printed matrices. The printed values are rounded (4 decimals by default), so near-ties can fall
 * either way: a genotype is accepted when it is what derive.ts gives, or when every choice it
 * makes is within the printing's rounding of the best. Anything else means the log was corrupted
 * or edited, and is reported with the epoch, the line, the node and the numbers.
 */
import type { SearchConfig } from './config';
import { DEFAULT_CONFIG } from './config';
import { deriveGenotype } from './derive';
import { parseGenotypeRepr, type Genotype } from './genotype';
import { estimateStepBytes } from './memory';
import { supernetParamCount } from './params';
import { PRIMITIVES, type OpName } from './primitives';
import { decodeReplay, encodeReplay, type RecordedFrame, type Replay } from './replay';
import { numEdges, rowOffset } from './searchSpace';
import { ConfigError, validateConfig } from './validateConfig';

/** A log that cannot be converted; the message names the line and what is wrong. */
export class TrainSearchLogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainSearchLogError';
  }
}

/** A Python value from the `args = Namespace(...)` line. */
export type PyValue = number | string | boolean | null;

/** One logged epoch. Accuracies are fractions (the log prints percent). */
export interface LoggedEpoch {
  epoch: number;
  /** 1-based line of its `epoch e lr …` line. */
  line: number;
  lr: number;
  /** The logged genotype (null when the line is missing). */
  genotype: Genotype | null;
  /** softmax(alphas_normal) / softmax(alphas_reduce), row-major edges × ops, as printed. */
  softmaxNormal: Float32Array;
  softmaxReduce: Float32Array;
  /** Measured during this epoch's training and infer(): null when not logged. */
  trainLoss: number | null;
  trainAcc: number | null;
  validLoss: number | null;
  validAcc: number | null;
}

export interface TrainSearchLog {
  /** The `args = Namespace(...)` line, or null. */
  args: Record<string, PyValue> | null;
  /** The search config (from args where present, else the reference defaults, spec §3.1). */
  config: SearchConfig;
  /** `param size = …MB` (millions of weights), or null. */
  paramSizeMB: number | null;
  /** Steps per epoch, when known (see the module comment). */
  stepsPerEpoch: number | null;
  epochs: LoggedEpoch[];
  /** Things the user should know that did not stop the conversion. */
  warnings: string[];
}

export interface ParseLogOptions {
  /** Overrides the steps per epoch computed from the args line. */
  stepsPerEpoch?: number;
  /** Report genotype/matrix mismatches as warnings instead of failing (default false). */
  allowMismatch?: boolean;
}

/** Larger than any real log (50 epochs ≈ 200 KB); beyond it the file is surely something else. */
export const MAX_LOG_BYTES = 64 * 1024 * 1024;

const NUM = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
/** A time stamp like `12/05 10:11:12 AM` (the reference) or `2019-01-02 10:11:12,345` (other formats). */
const STAMP = /^\s*(?:\d{1,4}[/-]\d{1,2}(?:[/-]\d{1,4})?[ T]\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?:\s?[AP]M)?\s+)?/;
const RE = {
  args: /^args\s*=\s*Namespace\((.*)\)\s*$/,
  paramSize: new RegExp(`^param size\\s*=\\s*(${NUM})\\s*MB`),
  epoch: new RegExp(`^epoch\\s+(\\d+)\\s+lr\\s+(${NUM})\\s*$`),
  genotype: /^genotype\s*=\s*(.*)$/,
  train: new RegExp(`^train\\s+(\\d+)\\s+(${NUM})\\s+(${NUM})(?:\\s+(${NUM}))?\\s*$`),
  valid: new RegExp(`^valid\\s+(\\d+)\\s+(${NUM})\\s+(${NUM})(?:\\s+(${NUM}))?\\s*$`),
  trainAcc: new RegExp(`^train_acc\\s+(${NUM})\\s*$`),
  validAcc: new RegExp(`^valid_acc\\s+(${NUM})\\s*$`),
  variable: /^\s*Variable containing:\s*$/,
  oldEnd: /^\s*\[torch\.(?:cuda\.)?FloatTensor of size (\d+)x(\d+)(?: \(GPU \d+\))?\]\s*$/,
  columns: /^\s*Columns? (\d+)(?: to (\d+))?\s*$/,
  scale: new RegExp(`^\\s*(${NUM})\\s*\\*\\s*$`),
};

/** A printed matrix: rows, and the rounding of its printing (half a unit of the last digit). */
interface Matrix {
  rows: number[][];
  tol: number;
  line: number;
}

/** Half a unit in the last printed digit of a number token, e.g. "0.1250" → 5e-5, "1.2500e-01" → 5e-6. */
function roundingOf(tok: string): number {
  const m = /^[-+]?(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(tok);
  if (!m) return 0;
  const decimals = m[2]?.length ?? 0;
  const exp = m[3] ? Number(m[3]) : 0;
  return 0.5 * 10 ** (exp - decimals);
}

// ------------------------------------------------------------------ the printed matrices

/** `tensor([[a, b, ...], [...]], device=..., grad_fn=...)` (text from `tensor(` to its `)`). */
function parseModernTensor(text: string, line: number, fail: (l: number, m: string) => never): Matrix {
  const open = text.indexOf('[');
  if (open < 0) fail(line, 'a printed tensor without "[": expected tensor([[…], …])');
  const rows: number[][] = [];
  let tol = 0;
  let i = open + 1;
  const skipWs = () => {
    while (i < text.length && /[\s,]/.test(text[i])) i++;
  };
  skipWs();
  while (i < text.length && text[i] === '[') {
    const close = text.indexOf(']', i);
    if (close < 0) fail(line, 'a tensor row is not closed with "]"');
    const body = text.slice(i + 1, close);
    if (body.includes('[')) fail(line, 'the tensor has more than 2 dimensions; expected the 14×8 softmax(α) matrix');
    if (body.includes('...')) fail(line, 'the tensor is printed summarised ("..."); print it in full (torch.set_printoptions(profile="full"))');
    const toks = body.split(',').map((t) => t.trim()).filter((t) => t !== '');
    const row = toks.map((t) => {
      const v = Number(t);
      if (!new RegExp(`^${NUM}$`).test(t) || !Number.isFinite(v)) fail(line, `the tensor holds ${JSON.stringify(t.slice(0, 20))}, not a finite number`);
      tol = Math.max(tol, roundingOf(t));
      return v;
    });
    rows.push(row);
    i = close + 1;
    skipWs();
  }
  if (text[i] !== ']') fail(line, 'expected "]]" after the last tensor row; is this a 2-D tensor?');
  return { rows, tol, line };
}

/** PyTorch 0.3: the lines between `Variable containing:` and `[torch.… of size RxC …]`. */
function parseOldTensor(lines: { text: string; line: number }[], size: [number, number], line: number, fail: (l: number, m: string) => never): Matrix {
  let scale = 1;
  // Column blocks ("Columns 0 to 5"); without them, one block.
  const blocks: number[][][] = [[]];
  let tol = 0;
  for (const { text, line: l } of lines) {
    if (text.trim() === '') continue;
    const sc = RE.scale.exec(text);
    if (sc) {
      scale = Number(sc[1]);
      continue;
    }
    if (RE.columns.test(text)) {
      if (blocks[blocks.length - 1].length) blocks.push([]);
      continue;
    }
    const toks = text.trim().split(/\s+/);
    const row = toks.map((t) => {
      const v = Number(t);
      if (!new RegExp(`^${NUM}$`).test(t) || !Number.isFinite(v)) fail(l, `a Variable row holds ${JSON.stringify(t.slice(0, 20))}, not a finite number`);
      tol = Math.max(tol, roundingOf(t));
      return v;
    });
    blocks[blocks.length - 1].push(row);
  }
  const n = blocks[0].length;
  if (blocks.some((b) => b.length !== n)) fail(line, `the "Columns" blocks of the Variable have different row counts (${blocks.map((b) => b.length).join(', ')})`);
  const rows = Array.from({ length: n }, (_, r) => blocks.flatMap((b) => b[r]).map((v) => v * scale));
  if (rows.length !== size[0] || rows.some((r) => r.length !== size[1])) {
    fail(line, `the Variable says "size ${size[0]}x${size[1]}" but holds ${rows.length} rows of ${rows.map((r) => r.length).join('/')} values`);
  }
  return { rows, tol: tol * Math.abs(scale), line };
}

// ------------------------------------------------------------------ args = Namespace(...)

/** `a=1, b='x, y', c=[1, 2], d=True` → { a: 1, b: 'x, y', c: '[1, 2]', d: true }. */
function parseNamespace(body: string, line: number, fail: (l: number, m: string) => never): Record<string, PyValue> {
  const out: Record<string, PyValue> = {};
  let i = 0;
  while (i < body.length) {
    while (i < body.length && /[\s,]/.test(body[i])) i++;
    if (i >= body.length) break;
    const key = /^[A-Za-z_][A-Za-z0-9_]*/.exec(body.slice(i));
    if (!key) fail(line, `args: expected a name at ${JSON.stringify(body.slice(i, i + 20))}`);
    i += key![0].length;
    if (body[i] !== '=') fail(line, `args: expected "=" after ${key![0]}`);
    i++;
    let value: PyValue;
    if (body[i] === "'" || body[i] === '"') {
      const q = body[i++];
      let s = '';
      while (i < body.length && body[i] !== q) {
        if (body[i] === '\\' && i + 1 < body.length) i++;
        s += body[i++];
      }
      if (body[i] !== q) fail(line, `args: the string value of ${key![0]} is not closed`);
      i++;
      value = s;
    } else {
      let depth = 0;
      const start = i;
      while (i < body.length && !(depth === 0 && body[i] === ',')) {
        if ('([{'.includes(body[i])) depth++;
        else if (')]}'.includes(body[i])) depth--;
        i++;
      }
      const raw = body.slice(start, i).trim();
      value = raw === 'True' ? true : raw === 'False' ? false : raw === 'None' ? null : new RegExp(`^${NUM}$`).test(raw) ? Number(raw) : raw;
    }
    out[key![0]] = value;
  }
  return out;
}

/** train_search.py's flags → SearchConfig fields (spec §3.1). */
const ARG_FIELDS: [string, keyof SearchConfig, 'int' | 'number' | 'bool'][] = [
  ['init_channels', 'C', 'int'],
  ['layers', 'layers', 'int'],
  ['batch_size', 'batchSize', 'int'],
  ['learning_rate', 'lr', 'number'],
  ['learning_rate_min', 'lrMin', 'number'],
  ['momentum', 'momentum', 'number'],
  ['weight_decay', 'weightDecay', 'number'],
  ['grad_clip', 'gradClip', 'number'],
  ['epochs', 'epochs', 'int'],
  ['arch_learning_rate', 'archLr', 'number'],
  ['arch_weight_decay', 'archWeightDecay', 'number'],
  ['train_portion', 'trainPortion', 'number'],
  ['seed', 'seed', 'int'],
  ['unrolled', 'order', 'bool'],
];

function configFromArgs(args: Record<string, PyValue> | null, line: number, fail: (l: number, m: string) => never): SearchConfig {
  // The reference search: CIFAR-10 (3 channels, 32×32, 10 classes) with the 8 PRIMITIVES.
  const c: Record<string, unknown> = { ...DEFAULT_CONFIG, ops: [...PRIMITIVES] };
  for (const [flag, field, kind] of args ? ARG_FIELDS : []) {
    const v = args![flag];
    if (v === undefined) continue;
    if (kind === 'bool') {
      if (typeof v !== 'boolean') fail(line, `args: ${flag}=${String(v)} must be True or False`);
      c[field] = v ? 2 : 1; // --unrolled: second order (spec §3.5)
    } else {
      if (typeof v !== 'number' || (kind === 'int' && !Number.isInteger(v))) fail(line, `args: ${flag}=${JSON.stringify(v)} must be ${kind === 'int' ? 'an integer' : 'a number'}`);
      c[field] = v;
    }
  }
  // The run happened on the reference's GPU; here it is only drawn. Let the memory budget fit it.
  c.memoryBudgetBytes = Number.MAX_SAFE_INTEGER;
  let cfg: SearchConfig;
  try {
    cfg = validateConfig(c);
  } catch (e) {
    const why = e instanceof ConfigError ? e.issues.map((i) => `${i.field}: ${i.message}`).join('; ') : (e as Error).message;
    return fail(line, `the args give a configuration this playground cannot describe: ${why}`);
  }
  return { ...cfg, memoryBudgetBytes: Math.max(DEFAULT_CONFIG.memoryBudgetBytes, Math.ceil(estimateStepBytes(cfg))) };
}

// ------------------------------------------------------------------ the genotype check

/**
 * Why `g` cannot come from the printed matrix `m` (spec §4.1), or null when it can. Exact equality
 * with derive.ts first; otherwise every choice must be within the printing's rounding of the best.
 */
function genotypeMismatch(g: Genotype, cell: 'normal' | 'reduce', m: Matrix, ops: readonly OpName[], steps: number): string | null {
  const derived = deriveGenotype({ normal: m.rows, reduce: m.rows }, ops, steps, steps, 'softmax').normal;
  const logged = g[cell];
  if (JSON.stringify(derived) === JSON.stringify(logged)) return null;
  if (logged.length !== 2 * steps) return `${cell} lists ${logged.length} pairs; ${steps} nodes need ${2 * steps}`;
  const slack = 2 * m.tol + 1e-7;
  const cand = ops.map((op, k) => (op === 'none' ? -1 : k)).filter((k) => k >= 0);
  const fmt = (v: number) => v.toPrecision(4);
  for (let i = 0; i < steps; i++) {
    const start = rowOffset(i);
    const strength = (j: number) => Math.max(...cand.map((k) => m.rows[start + j][k]));
    const pairs = logged.slice(2 * i, 2 * i + 2);
    const kept = pairs.map(([, j]) => j);
    for (const [op, j] of pairs) {
      if (j > i + 1) return `node ${i} takes input ${j}, but node ${i} has inputs 0..${i + 1}`;
      const k = ops.indexOf(op as OpName);
      if (k < 0) return `node ${i} uses ${op}, which is not a column of the matrix`;
      const row = m.rows[start + j];
      const best = cand.reduce((b, kk) => (row[kk] > row[b] ? kk : b), cand[0]);
      if (row[k] < row[best] - slack) {
        return `node ${i} keeps ('${op}', ${j}), but on that edge (row ${start + j}) ${ops[best]} has ${fmt(row[best])} > ${op} ${fmt(row[k])}`;
      }
    }
    if (kept[0] === kept[1]) return `node ${i} takes input ${kept[0]} twice`;
    for (let j = 0; j < i + 2; j++) {
      if (kept.includes(j)) continue;
      for (const kj of kept) {
        if (strength(j) > strength(kj) + slack) {
          return `node ${i} keeps input ${kj} (strongest op ${fmt(strength(kj))}) over input ${j} (strongest op ${fmt(strength(j))})`;
        }
      }
    }
    if (strength(kept[1]) > strength(kept[0]) + slack) return `node ${i} lists input ${kept[0]} first, but input ${kept[1]} is stronger`;
  }
  return null;
}

// ------------------------------------------------------------------ the parser

interface Draft {
  epoch: number;
  line: number;
  lr: number;
  genotype: Genotype | null;
  genotypeLine: number;
  matrices: Matrix[];
  trainLoss: number | null;
  trainTop1: number | null;
  trainAcc: number | null;
  validLoss: number | null;
  validTop1: number | null;
  validAcc: number | null;
}

/**
 * Parse a train_search.py log (the captured console output).
 * @throws TrainSearchLogError naming the line and the problem
 */
export function parseTrainSearchLog(text: string, opts: ParseLogOptions = {}): TrainSearchLog {
  const fail = (line: number, m: string): never => {
    throw new TrainSearchLogError(line > 0 ? `train_search log, line ${line}: ${m}` : `train_search log: ${m}`);
  };
  if (typeof text !== 'string') fail(0, 'expected text');
  if (text.length > MAX_LOG_BYTES) fail(0, `${(text.length / 1e6).toFixed(0)} MB is far more than a search log (a 50-epoch log is about 200 KB); is this the right file?`);
  if (text.includes('\u0000')) fail(0, 'the file holds binary data (NUL bytes); expected the text log of train_search.py');
  const lines = text.split(/\r?\n|\r/);
  const warnings: string[] = [];
  let args: Record<string, PyValue> | null = null;
  let argsLine = 0;
  let paramSizeMB: number | null = null;
  const drafts: Draft[] = [];
  let cur: Draft | null = null;
  /** Whether any print() of a matrix was seen (complete or not). */
  let sawPrint = false;

  for (let li = 0; li < lines.length; li++) {
    const lineNo = li + 1;
    const raw = lines[li];
    const msg = raw.replace(STAMP, '').trimEnd();
    // A printed modern tensor: collect lines until its parentheses close.
    const tIdx = msg.indexOf('tensor(');
    if (tIdx >= 0 && !RE.genotype.test(msg)) {
      sawPrint = true;
      let buf = msg.slice(tIdx);
      let depth = 0;
      let done = false;
      let lj = li;
      for (;;) {
        depth = 0;
        for (const ch of buf) {
          if (ch === '(') depth++;
          else if (ch === ')') depth--;
        }
        if (depth <= 0) {
          done = true;
          break;
        }
        if (++lj >= lines.length || lj - li > 200) break;
        buf += '\n' + lines[lj];
      }
      if (!done) {
        if (lj >= lines.length) {
          // The file ends inside the print: a log copied while the search was running.
          warnings.push(`the log ends inside a printed tensor (line ${lineNo})`);
          break;
        }
        fail(lineNo, 'a printed tensor( … ) is not closed within 200 lines');
      }
      const m = parseModernTensor(buf, lineNo, fail);
      li = lj;
      if (!cur) fail(lineNo, 'a printed matrix before any "epoch N lr X" line');
      cur!.matrices.push(m);
      continue;
    }
    if (RE.variable.test(msg)) {
      sawPrint = true;
      const body: { text: string; line: number }[] = [];
      let lj = li + 1;
      let end: RegExpExecArray | null = null;
      for (; lj < lines.length && lj - li < 400; lj++) {
        end = RE.oldEnd.exec(lines[lj]);
        if (end) break;
        body.push({ text: lines[lj], line: lj + 1 });
      }
      if (!end) {
        if (lj >= lines.length) {
          warnings.push(`the log ends inside a printed Variable (line ${lineNo})`);
          break;
        }
        fail(lineNo, '"Variable containing:" is not followed by "[torch.cuda.FloatTensor of size RxC …]" within 400 lines');
      }
      const m = parseOldTensor(body, [Number(end![1]), Number(end![2])], lineNo, fail);
      li = lj;
      if (!cur) fail(lineNo, 'a printed matrix before any "epoch N lr X" line');
      cur!.matrices.push(m);
      continue;
    }
    let r: RegExpExecArray | null;
    if ((r = RE.args.exec(msg))) {
      args = parseNamespace(r[1], lineNo, fail);
      argsLine = lineNo;
    } else if ((r = RE.paramSize.exec(msg))) {
      paramSizeMB = Number(r[1]);
    } else if ((r = RE.epoch.exec(msg))) {
      const epoch = Number(r[1]);
      const last = drafts[drafts.length - 1];
      if (last && epoch <= last.epoch) {
        fail(lineNo, `"epoch ${epoch}" follows "epoch ${last.epoch}" (line ${last.line}): epochs must increase; are two runs in one file? Split it.`);
      }
      cur = { epoch, line: lineNo, lr: Number(r[2]), genotype: null, genotypeLine: 0, matrices: [], trainLoss: null, trainTop1: null, trainAcc: null, validLoss: null, validTop1: null, validAcc: null };
      drafts.push(cur);
    } else if ((r = RE.genotype.exec(msg))) {
      if (!cur) fail(lineNo, 'a genotype line before any "epoch N lr X" line');
      if (cur!.genotype) fail(lineNo, `a second genotype in epoch ${cur!.epoch} (the first is on line ${cur!.genotypeLine})`);
      const g = parseGenotypeRepr(r[1]);
      if (!g.ok) {
        if (lines.slice(li + 1).every((l) => l.trim() === '')) {
          warnings.push(`the log ends inside a genotype line (line ${lineNo})`);
          break;
        }
        fail(lineNo, `the genotype is malformed: ${g.errors.join('; ')}`);
      }
      cur!.genotype = (g as { ok: true; genotype: Genotype }).genotype;
      cur!.genotypeLine = lineNo;
    } else if ((r = RE.train.exec(msg))) {
      if (cur) {
        cur.trainLoss = Number(r[2]);
        cur.trainTop1 = Number(r[3]);
      }
    } else if ((r = RE.valid.exec(msg))) {
      if (cur) {
        cur.validLoss = Number(r[2]);
        cur.validTop1 = Number(r[3]);
      }
    } else if ((r = RE.trainAcc.exec(msg))) {
      if (cur) cur.trainAcc = Number(r[1]);
    } else if ((r = RE.validAcc.exec(msg))) {
      if (cur) cur.validAcc = Number(r[1]);
    }
  }

  if (drafts.length === 0) fail(0, 'no "epoch N lr X" line: this does not look like the output of train_search.py');
  if (!sawPrint) {
    fail(
      0,
      'no printed softmax(α) matrix: train_search.py print()s them to the console, not to log.txt. ' +
        'Convert the captured console output instead, e.g. `python train_search.py 2>&1 | tee search.log`.',
    );
  }
  // A log cut off inside its last epoch (a run still going): leave that epoch out.
  const lastD = drafts[drafts.length - 1];
  if (lastD.matrices.length < 2) {
    drafts.pop();
    warnings.push(`the log ends inside epoch ${lastD.epoch} (line ${lastD.line}) before both matrices were printed; that epoch is left out`);
    if (drafts.length === 0) {
      fail(lastD.line, `the log ends inside epoch ${lastD.epoch}, before both its matrices (softmax(alphas_normal), then softmax(alphas_reduce)) were printed, and it has no complete epoch`);
    }
  }

  const config = configFromArgs(args, argsLine, fail);
  const ops = config.ops;
  const acc = (v: number | null) => (v === null ? null : v / 100); // the log prints percent
  const epochs: LoggedEpoch[] = [];
  let steps = 0;
  for (const d of drafts) {
    if (d.matrices.length !== 2) {
      fail(d.line, `epoch ${d.epoch} has ${d.matrices.length} printed matrices; expected two (softmax(alphas_normal), then softmax(alphas_reduce))`);
    }
    for (const [m, cell] of [
      [d.matrices[0], 'alphas_normal'],
      [d.matrices[1], 'alphas_reduce'],
    ] as const) {
      const rows = m.rows.length;
      if (!steps) {
        for (let s = 1; s <= 6; s++) if (numEdges(s) === rows) steps = s;
        if (!steps) fail(m.line, `softmax(${cell}) has ${rows} rows, which is no whole number of nodes (14 rows = 4 nodes)`);
      }
      if (rows !== numEdges(steps) || m.rows.some((row) => row.length !== ops.length)) {
        fail(m.line, `softmax(${cell}) is ${rows}×${m.rows.map((row) => row.length).join('/')}; expected ${numEdges(steps)}×${ops.length} (edges × PRIMITIVES)`);
      }
      m.rows.forEach((row, ri) => {
        const sum = row.reduce((a, b) => a + b, 0);
        if (row.some((v) => v < 0) || Math.abs(sum - 1) > 0.01 + ops.length * m.tol) {
          fail(m.line, `row ${ri} of softmax(${cell}) sums to ${sum.toPrecision(5)}, not 1: is this a softmax of α?`);
        }
      });
    }
    if (d.genotype) {
      const [mn, mr] = d.matrices;
      const why = genotypeMismatch(d.genotype, 'normal', mn, ops, steps) ?? genotypeMismatch(d.genotype, 'reduce', mr, ops, steps);
      if (why) {
        const m = `epoch ${d.epoch}: the logged genotype (line ${d.genotypeLine}) does not follow from its printed softmax matrices: ${why}. The log is corrupt or was edited.`;
        if (opts.allowMismatch) warnings.push(m);
        else fail(d.genotypeLine, m);
      }
    } else warnings.push(`epoch ${d.epoch} (line ${d.line}) has no genotype line; only its matrices are used`);
    epochs.push({
      epoch: d.epoch,
      line: d.line,
      lr: d.lr,
      genotype: d.genotype,
      softmaxNormal: Float32Array.from(d.matrices[0].rows.flat()),
      softmaxReduce: Float32Array.from(d.matrices[1].rows.flat()),
      trainLoss: d.trainLoss,
      trainAcc: acc(d.trainAcc ?? d.trainTop1),
      validLoss: d.validLoss,
      validAcc: acc(d.validAcc ?? d.validTop1),
    });
  }
  const cfg = steps === config.steps ? config : validateConfig({ ...config, steps, multiplier: steps });

  let stepsPerEpoch: number | null = null;
  if (opts.stepsPerEpoch !== undefined) {
    if (!Number.isInteger(opts.stepsPerEpoch) || opts.stepsPerEpoch < 1) fail(0, `steps per epoch must be a whole number ≥ 1, got ${opts.stepsPerEpoch}`);
    stepsPerEpoch = opts.stepsPerEpoch;
  } else if (args) {
    // CIFAR-10's 50,000 training images, the first ⌊train_portion · 50000⌋ train the weights (spec §3.2).
    stepsPerEpoch = Math.ceil(Math.floor(50_000 * cfg.trainPortion) / cfg.batchSize);
  }
  if (paramSizeMB !== null) {
    // "param size" counts the weights in millions (utils.count_parameters_in_MB, auxiliary excluded).
    const ours = supernetParamCount(cfg) / 1e6;
    if (Math.abs(ours - paramSizeMB) > 5e-6) {
      warnings.push(`the log says "param size = ${paramSizeMB}MB" but its args describe a supernet of ${ours.toFixed(6)}M weights; the args line may not belong to this run`);
    }
  }
  return { args, config: cfg, paramSizeMB, stepsPerEpoch, epochs, warnings };
}

// ------------------------------------------------------------------ to a replay

export interface LogReplayOptions extends ParseLogOptions {
  /** The log's file name, for the note and the command. */
  fileName?: string;
}

/** The replay frames of a parsed log (see the module comment for the alignment). */
export function logFrames(log: TrainSearchLog): RecordedFrame[] {
  const spe = log.stepsPerEpoch ?? 1;
  return log.epochs.map((e, i) => {
    // Metrics measured during the previous epoch, which ended where this frame's α was logged.
    const prev = i > 0 && log.epochs[i - 1].epoch === e.epoch - 1 ? log.epochs[i - 1] : null;
    return {
      step: e.epoch * spe,
      archStep: e.epoch * spe,
      epoch: e.epoch,
      lr: e.lr,
      trainLoss: prev?.trainLoss ?? null,
      trainAcc: prev?.trainAcc ?? null,
      valLoss: prev?.validLoss ?? null,
      valAcc: prev?.validAcc ?? null,
      softmaxNormal: e.softmaxNormal,
      softmaxReduce: e.softmaxReduce,
      rawNormal: null,
      rawReduce: null,
    };
  });
}

/** The replay file object (replay.ts format) of a parsed log. */
export function logToReplayJson(log: TrainSearchLog, opts: LogReplayOptions = {}): Record<string, unknown> {
  const first = log.epochs[0];
  const last = log.epochs[log.epochs.length - 1];
  const pct = (v: number | null) => (v === null ? 'not logged' : `${(100 * v).toFixed(2)} %`);
  const stepNote = log.stepsPerEpoch ? `steps are epoch × ${log.stepsPerEpoch} (steps per epoch)` : 'the step axis counts epochs (steps per epoch unknown)';
  const note =
    `quark0/darts train_search.py log${opts.fileName ? ` ${opts.fileName}` : ''}: epochs ${first.epoch}–${last.epoch}, ` +
    `softmax(α) at the start of each epoch (spec §3.6); ${stepNote}. Metrics at a frame are the previous epoch's. ` +
    `The last epoch's train_acc ${pct(last.trainAcc)}, valid_acc ${pct(last.validAcc)} have no frame: α after it is never logged.`;
  const name = opts.fileName ?? 'train_search.log';
  return encodeReplay(
    {
      preset: 'train_search.py',
      note,
      command: `npm run -s darts -- log-to-replay ${name} replay.json${opts.stepsPerEpoch ? ` --steps-per-epoch ${opts.stepsPerEpoch}` : ''}`,
      config: log.config,
      dataset: 'cifar10',
      backend: 'pytorch',
      every: log.stepsPerEpoch ?? 1,
      raw: false,
    },
    logFrames(log),
  );
}

/** Log text → a decoded replay the app plays (UI: "Open replay or log"). @throws TrainSearchLogError */
export function parseTrainSearchLogAsReplay(text: string, opts: LogReplayOptions = {}): { replay: Replay; log: TrainSearchLog } {
  const log = parseTrainSearchLog(text, opts);
  return { replay: decodeReplay(logToReplayJson(log, opts)), log };
}

/** Does this text look like a train_search log rather than replay JSON? (For file pickers.) */
export function looksLikeTrainSearchLog(text: string): boolean {
  return !text.trimStart().startsWith('{') && /(^|\n)[^\n]*epoch\s+\d+\s+lr\s/.test(text.slice(0, 200_000));
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printGenotypeRepr } from './genotype';
import { decodeReplay, replayToJson, parseReplayJson } from './replay';
import { looksLikeTrainSearchLog, logToReplayJson, parseTrainSearchLog, parseTrainSearchLogAsReplay, TrainSearchLogError } from './trainSearchLog';

// Written by __fixtures__/make_train_search_logs.py (see there): the reference's log, line for line.
const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const MODERN = fixture('train_search_modern.txt');
const OLD = fixture('train_search_torch03.txt');

describe('parseTrainSearchLog: modern PyTorch (tensor(...) print, wrapped scientific rows)', () => {
  const log = parseTrainSearchLog(MODERN);

  it('reads the args into the search config (spec §3.1) and the steps per epoch (spec §3.2)', () => {
    expect(log.args).toMatchObject({ init_channels: 16, layers: 8, unrolled: false, data: '../data', batch_size: 64 });
    expect(log.config).toMatchObject({ C: 16, layers: 8, batchSize: 64, lr: 0.025, lrMin: 0.001, archLr: 3e-4, order: 1, epochs: 50, seed: 2, inChannels: 3, height: 32, numClasses: 10 });
    expect(log.paramSizeMB).toBe(1.930618);
    expect(log.stepsPerEpoch).toBe(391);
    expect(log.warnings).toEqual([]);
  });

  it('one entry per epoch: lr, genotype, both 14×8 matrices, metrics as fractions', () => {
    expect(log.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3, 4]);
    const e0 = log.epochs[0];
    expect(e0.lr).toBe(0.025);
    expect(e0.softmaxNormal.length).toBe(112);
    expect(e0.softmaxNormal[0]).toBeCloseTo(0.1252, 6);
    expect(e0.trainAcc).toBeCloseTo(0.275, 6); // "train_acc 27.500000"
    expect(e0.validAcc).toBeCloseTo(0.255, 6);
    expect(e0.trainLoss).toBeCloseTo(2.2, 6); // the last "train NNN loss" line of the epoch
    // Epoch 2 is printed in scientific notation, each row wrapped over two lines.
    expect(log.epochs[2].softmaxNormal[6]).toBeCloseTo(0.22001, 6);
    expect(log.epochs[2].softmaxNormal[7]).toBeCloseTo(0.065494, 6);
    expect(log.epochs[1].lr).toBeCloseTo(2.497632e-2, 9);
  });

  it('a replay: one frame per epoch at step epoch × 391, the previous epoch\'s metrics on each frame', () => {
    const replay = decodeReplay(logToReplayJson(log, { fileName: 'search.log' }));
    expect(replay.frames.map((f) => f.step)).toEqual([0, 391, 782, 1173, 1564]);
    expect(replay.frames[0].trainAcc).toBeNull();
    expect(replay.frames[1].trainAcc).toBeCloseTo(log.epochs[0].trainAcc!, 4);
    expect(replay.frames[1].valAcc).toBeCloseTo(log.epochs[0].validAcc!, 4);
    expect(replay.frames[3].softmaxNormal[6]).toBeCloseTo(log.epochs[3].softmaxNormal[6], 4);
    expect(replay.config.C).toBe(16);
    expect(replay.note).toMatch(/search\.log/);
    expect(replay.note).toMatch(/spec §3\.6/);
    // It survives the file format: JSON text → parseReplayJson, like any other replay file.
    const again = parseReplayJson(replayToJson(logToReplayJson(log)));
    expect(again.frames.length).toBe(5);
  });

  it('the genotype lines agree with derive.ts on the printed matrices (within printing rounding)', () => {
    for (const e of log.epochs) expect(e.genotype).not.toBeNull();
    expect(printGenotypeRepr(log.epochs[4].genotype!)).toMatch(/^Genotype\(normal=\[\('/);
  });

  it('looksLikeTrainSearchLog tells a log from replay JSON', () => {
    expect(looksLikeTrainSearchLog(MODERN)).toBe(true);
    expect(looksLikeTrainSearchLog('{"kind": "darts-replay"}')).toBe(false);
  });
});

describe('parseTrainSearchLog: PyTorch 0.3 (Variable containing: …, a factor line, Columns blocks)', () => {
  const log = parseTrainSearchLog(OLD);

  it('reads every epoch and the unrolled config', () => {
    expect(log.config).toMatchObject({ C: 8, layers: 5, batchSize: 32, order: 2, epochs: 4 });
    expect(log.stepsPerEpoch).toBe(782);
    expect(log.paramSizeMB).toBe(0.39421);
    expect(log.warnings).toEqual([]);
    expect(log.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3]);
  });

  it('applies the common factor ("1.00000e-02 *") and joins "Columns" blocks', () => {
    const lines = OLD.split('\n');
    // Epoch 1 is scaled: its first printed value times 0.01.
    const scaled = lines.findIndex((l) => l.trim() === '1.00000e-02 *');
    const first = Number(lines[scaled + 1].trim().split(/\s+/)[0]);
    expect(log.epochs[1].softmaxNormal[0]).toBeCloseTo(first / 100, 7);
    // Epoch 2 is split: column 6 of row 0 comes from the "Columns 6 to 7" block.
    const cols = lines.findIndex((l) => l.startsWith('Columns 6 to 7'));
    expect(log.epochs[2].softmaxNormal[6]).toBeCloseTo(Number(lines[cols + 1].trim().split(/\s+/)[0]), 6);
    for (const e of log.epochs) {
      for (let r = 0; r < 14; r++) {
        const s = Array.from(e.softmaxReduce.subarray(r * 8, r * 8 + 8)).reduce((a, b) => a + b, 0);
        expect(Math.abs(s - 1)).toBeLessThan(1e-3);
      }
    }
  });

  it('converts to a replay the UI can play', () => {
    const { replay } = parseTrainSearchLogAsReplay(OLD);
    expect(replay.frames.map((f) => f.step)).toEqual([0, 782, 1564, 2346]);
    expect(replay.ops.length).toBe(8);
  });
});

describe('without args, and with options', () => {
  it('no args line: reference defaults, the step axis counts epochs', () => {
    const noArgs = MODERN.split('\n').filter((l) => !l.includes('args = ') && !l.includes('param size')).join('\n');
    const log = parseTrainSearchLog(noArgs);
    expect(log.stepsPerEpoch).toBeNull();
    expect(log.config.C).toBe(16);
    expect(decodeReplay(logToReplayJson(log)).frames.map((f) => f.step)).toEqual([0, 1, 2, 3, 4]);
    expect(parseTrainSearchLog(noArgs, { stepsPerEpoch: 10 }).stepsPerEpoch).toBe(10);
  });

  it('a log cut off inside its last epoch drops that epoch with a warning', () => {
    const cut = MODERN.slice(0, MODERN.indexOf('epoch 4 lr') + 200);
    const log = parseTrainSearchLog(cut);
    expect(log.epochs.length).toBe(4);
    expect(log.warnings.join(' ')).toMatch(/ends inside a genotype line.*ends inside epoch 4/);
    // Cut inside a printed tensor: the same.
    const cut2 = MODERN.slice(0, MODERN.indexOf('epoch 4 lr') + 1200);
    expect(parseTrainSearchLog(cut2).warnings.join(' ')).toMatch(/ends inside a printed tensor.*ends inside epoch 4/);
  });

  it('CRLF line ends are fine', () => {
    expect(parseTrainSearchLog(OLD.replace(/\n/g, '\r\n')).epochs.length).toBe(4);
  });
});

describe('malformed logs: clear messages naming the line', () => {
  const lines = MODERN.split('\n');
  const edit = (pred: (l: string) => boolean, f: (l: string) => string) => {
    const i = lines.findIndex(pred);
    return lines.map((l, k) => (k === i ? f(l) : l)).join('\n');
  };
  const g4 = lines.findIndex((l) => l.includes('epoch 4 lr')) + 1;

  it.each<[string, string, RegExp]>([
    ['empty', '', /no "epoch N lr X" line/],
    ['not a log', 'hello\nworld', /does not look like the output of train_search\.py/],
    ['log.txt (no print output)', lines.filter((l) => /^\d/.test(l)).join('\n'), /not to log\.txt.*tee/],
    ['binary', 'epoch 0 lr 1\u0000', /binary data/],
    [
      'an edited genotype',
      edit(
        (l) => l.includes('genotype =') && lines.indexOf(l) === g4,
        (l) => l.replace(/normal=\[\('(\w+)', (\d)\)/, (_m, _op, j) => `normal=[('none_of_these', ${j})`),
      ),
      new RegExp(`line ${g4 + 1}: the genotype is malformed`),
    ],
    ['a number turned to text', edit((l) => l.startsWith('tensor([[0.1252'), (l) => l.replace('0.1252', '0.12x2')), /line 6: the tensor holds "0\.12x2"/],
    ['a row lost', edit((l) => l.startsWith('        [0.1250, 0.1250, 0.1251'), () => ''), /line 6: softmax\(alphas_normal\) has 13 rows/],
    ['not a softmax', edit((l) => l.startsWith('tensor([[0.1252'), (l) => l.replace('0.1252', '0.9252')), /row 0 of softmax\(alphas_normal\) sums to 1\.7999, not 1/],
    ['an unclosed tensor', MODERN.slice(0, MODERN.indexOf("device='cuda:0'")), /line 4: the log ends inside epoch 0, before both its matrices .* no complete epoch/],
    ['bad args', edit((l) => l.includes('args = '), (l) => l.replace('init_channels=16', 'init_channels=15')), /line 2: the args give a configuration.*C must be even/],
    ['args of the wrong type', edit((l) => l.includes('args = '), (l) => l.replace('layers=8', "layers='eight'")), /line 2: args: layers="eight" must be an integer/],
    ['two runs in one file', `${MODERN}\n${MODERN}`, /"epoch 0" follows "epoch 4".*two runs/],
  ])('%s', (_n, text, msg) => {
    expect(() => parseTrainSearchLog(text)).toThrow(TrainSearchLogError);
    expect(() => parseTrainSearchLog(text)).toThrow(msg);
  });

  it('a genotype that does not follow from its matrices is reported with the numbers', () => {
    // Epoch 4's first normal pair, swapped for the edge's weakest op.
    const e = parseTrainSearchLog(MODERN).epochs[4];
    const [op, j] = e.genotype!.normal[0];
    const row = Array.from(e.softmaxNormal.subarray(j * 8, j * 8 + 8));
    const names = ['none', 'max_pool_3x3', 'avg_pool_3x3', 'skip_connect', 'sep_conv_3x3', 'sep_conv_5x5', 'dil_conv_3x3', 'dil_conv_5x5'];
    let worst = 1;
    for (let k = 1; k < 8; k++) if (row[k] < row[worst]) worst = k;
    const text = lines.map((l, k) => (k === g4 ? l.replace(`normal=[('${op}', ${j})`, `normal=[('${names[worst]}', ${j})`) : l)).join('\n');
    expect(() => parseTrainSearchLog(text)).toThrow(new RegExp(`line ${g4 + 1}: epoch 4: the logged genotype .* node 0 keeps \\('${names[worst]}', ${j}\\).*corrupt or was edited`));
    const lenient = parseTrainSearchLog(text, { allowMismatch: true });
    expect(lenient.warnings.join(' ')).toMatch(/corrupt or was edited/);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fakeSavedState } from '../engine/testing/fakeState';
import { replaceContainerHeader } from './container';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// Tests may reach into the engine's (tensor-free) layout to pin core's names to the ones the run file really uses.
import { torchToTf as engineTorchToTf } from '../engine/params';
import { supernetLayout } from '../engine/supernetPlan';
import type { SearchConfig } from './config';
import { getPreset } from './presets';
import { decodeRunFile, encodeRunFile, type SavedSearchState } from './runFile';
import {
  decodeStateDict,
  exportStateDict,
  importStateDict,
  referenceStateDict,
  StateDictError,
  tfToTorch,
  torchToTf,
  type StateDictEntry,
} from './stateDict';
import { validateConfig } from './validateConfig';

const paper = (over: Partial<SearchConfig> = {}) => validateConfig({ ...getPreset('paper'), ...over });
const params = (es: StateDictEntry[]) => es.filter((e) => e.role === 'parameter').reduce((a, e) => a + e.torchShape.reduce((x, y) => x * y, 1), 0);

/** A SavedSearchState for `cfg` with recognisable values, laid out exactly as the engine saves it. */
const fakeState = (cfg: SearchConfig): SavedSearchState => fakeSavedState(cfg, { step: 12, optimiser: true });

describe('referenceStateDict: the names and shapes of model_search.Network (spec §1.6)', () => {
  it('C=16, L=8: 1,930,618 parameters, the reference names and torch shapes', () => {
    const es = referenceStateDict(paper());
    expect(params(es)).toBe(1_930_618);
    const by = new Map(es.map((e) => [e.name, e]));
    expect(by.get('stem.0.weight')!.torchShape).toEqual([48, 3, 3, 3]);
    expect(by.get('stem.1.weight')!.torchShape).toEqual([48]);
    expect(by.get('stem.1.running_var')!.role).toBe('buffer');
    expect(by.get('stem.1.num_batches_tracked')).toMatchObject({ dtype: 'int64', torchShape: [] });
    expect(by.get('cells.0.preprocess0.op.1.weight')!.torchShape).toEqual([16, 48, 1, 1]);
    expect(by.get('cells.1.preprocess1.op.1.weight')!.torchShape).toEqual([16, 64, 1, 1]);
    // Cell 3 follows the reduction cell 2: FactorizedReduce 64 → 32 (two halves of 16).
    expect(by.get('cells.3.preprocess0.conv_1.weight')!.torchShape).toEqual([16, 64, 1, 1]);
    expect(by.has('cells.3.preprocess0.bn.running_mean')).toBe(true);
    expect(by.get('cells.0._ops.0._ops.4.op.1.weight')!.torchShape).toEqual([16, 1, 3, 3]); // sep_conv_3x3 depthwise
    expect(by.get('cells.0._ops.0._ops.4.op.6.weight')!.torchShape).toEqual([16, 16, 1, 1]);
    expect(by.get('cells.0._ops.13._ops.7.op.1.weight')!.torchShape).toEqual([16, 1, 5, 5]); // dil_conv_5x5
    expect(by.has('cells.0._ops.0._ops.1.1.running_mean')).toBe(true); // BN after max pool (spec §1.4)
    expect(by.has('cells.0._ops.0._ops.1.1.weight')).toBe(false); // affine=False
    expect(by.get('cells.2._ops.0._ops.3.conv_1.weight')!.torchShape).toEqual([16, 32, 1, 1]); // stride-2 skip
    expect(by.has('cells.2._ops.4._ops.3.conv_1.weight')).toBe(false); // row 4 = node 1 ← node 0: stride 1, Identity
    expect(by.get('classifier.weight')!.torchShape).toEqual([10, 256]);
    expect(es[es.length - 1].name).toBe('classifier.bias');
    expect(es.some((e) => e.name.includes('alphas'))).toBe(false); // α is not in state_dict (spec §2)
  });

  it('C=8, L=5: 394,210 parameters', () => {
    expect(params(referenceStateDict(paper({ C: 8, layers: 5 })))).toBe(394_210);
  });

  it.each([
    ['paper', paper()],
    ['tiny-mnist', getPreset('tiny-mnist')],
    ['simple-convs', getPreset('simple-convs')],
    ['lecture', getPreset('lecture')],
    ['darts-minus (auxiliary_op FactorizedReduce on stride-2 edges)', getPreset('darts-minus')],
  ])('%s: exactly the weights and BN buffers the engine saves, in the same order and tfjs shapes', (_n, cfg) => {
    const L = supernetLayout(cfg);
    const es = referenceStateDict(cfg);
    const ps = es.filter((e) => e.role === 'parameter');
    expect(ps.map((e) => e.name)).toEqual(L.specs.map((s) => s.name));
    ps.forEach((e, i) => {
      expect(e.tfShape).toEqual(L.specs[i].shape);
      expect(e.torchShape).toEqual(L.specs[i].torchShape);
      expect(e.layout).toBe(L.specs[i].layout);
    });
    const bufs = es.filter((e) => e.role === 'buffer' && e.dtype === 'float32').map((e) => e.name);
    expect(bufs).toEqual(L.bns.flatMap((b) => [`${b.name}.running_mean`, `${b.name}.running_var`]));
  });
});

describe('layout permutations', () => {
  it('torchToTf agrees with the engine and tfToTorch inverts it, for every layout', () => {
    const cfg = getPreset('simple-convs'); // has a full conv (hwio), dw is absent: add the lecture set too
    const specs = [...supernetLayout(cfg).specs, ...supernetLayout(getPreset('lecture')).specs];
    const layouts = new Set<string>();
    for (const s of specs) {
      if (layouts.has(s.layout + s.torchShape.length)) continue;
      layouts.add(s.layout + s.torchShape.length);
      const n = s.shape.reduce((a, b) => a * b, 1);
      const torch = Float32Array.from({ length: n }, (_, i) => i);
      const e = { layout: s.layout, torchShape: s.torchShape };
      expect(torchToTf(e, torch)).toEqual(engineTorchToTf(s, torch));
      expect(tfToTorch(e, torchToTf(e, torch))).toEqual(torch);
    }
    expect([...layouts].sort()).toEqual(['dw4', 'hwio4', 'linear2', 'pw4', 'vec1']);
  });

  it('a stem kernel entry lands where torch has it: weight[o, i, h, w]', () => {
    const [entry] = referenceStateDict(paper());
    const O = 48, I = 3;
    const tf = new Float32Array(O * I * 9);
    // tfjs HWIO index of (h=2, w=1, i=1, o=5)
    tf[((2 * 3 + 1) * I + 1) * O + 5] = 7;
    const torch = tfToTorch(entry, tf);
    expect(torch[((5 * I + 1) * 3 + 2) * 3 + 1]).toBe(7);
  });
});

describe('export → import round trip', () => {
  it.each([
    ['tiny-mnist', getPreset('tiny-mnist')],
    ['lecture', getPreset('lecture')],
    ['paper', paper()],
  ])('%s: weights, BN buffers and α come back bit-identical; optimiser state starts fresh', (_n, cfg) => {
    const s = fakeState(cfg);
    const bytes = exportStateDict(s, { dataset: { name: 'task', id: 'task-long-range' } });
    const d = decodeStateDict(bytes);
    expect(d.header.network.args).toMatchObject({ C: cfg.C, layers: cfg.layers, num_classes: cfg.numClasses });
    const first = d.tensors.get('stem.0.weight')!;
    expect(first.shape).toEqual([cfg.stemMultiplier * cfg.C, cfg.inChannels, 3, 3]);
    expect(d.tensors.get('alphas_normal')!.shape).toEqual([14, 8]);
    expect(d.tensors.get('stem.1.num_batches_tracked')).toMatchObject({ value: 12 });

    const r = importStateDict(bytes);
    expect(r.dataset).toEqual({ name: 'task', id: 'task-long-range' });
    expect(r.state.config).toEqual(cfg);
    expect(r.state.weights.map((w) => w.name)).toEqual(s.weights.map((w) => w.name));
    r.state.weights.forEach((w, i) => {
      expect(w.shape).toEqual(s.weights[i].shape);
      expect(w.data).toEqual(s.weights[i].data);
    });
    expect(r.state.buffers).toEqual(s.buffers);
    expect(r.state.alphaNormal).toEqual(s.alphaNormal);
    expect(r.state.alphaReduce).toEqual(s.alphaReduce);
    expect(r.state.momentum).toEqual([]);
    expect(r.state.adam.t).toBe(0);
    expect(r.state.step).toBe(12);
    // …and it is a run file the app and `search --resume` can open.
    const run = decodeRunFile(encodeRunFile({ state: r.state, dataset: r.dataset, savedAt: '2026-01-01T00:00:00.000Z' }));
    expect(run.state.weights.length).toBe(s.weights.length);
  });

  it('records non-DARTS methods and their settings, and says what the reference lacks', () => {
    const cfg = validateConfig({ ...getPreset('lecture'), method: 'gdas' });
    const d = decodeStateDict(exportStateDict(fakeState(cfg)));
    expect(d.header.method).toMatchObject({ name: 'gdas', settings: { gdasTauMax: 10, gdasTauMin: 0.1 } });
    expect(d.header.referenceCompatible).toBe(false);
    expect(d.header.notes.join(' ')).toMatch(/GDAS/);
    expect(d.header.notes.join(' ')).toMatch(/1 input channel/);
    const ok = decodeStateDict(exportStateDict(fakeState(paper())));
    expect(ok.header.referenceCompatible).toBe(true);
    expect(ok.header.notes).toEqual([]);
  });

  it('refuses PC-DARTS with a message that says why', () => {
    const cfg = validateConfig({ ...getPreset('lecture'), C: 8, method: 'pc-darts' }); // PC-DARTS needs C a multiple of 2·pcK
    expect(() => exportStateDict(fakeState(cfg))).toThrow(/PC-DARTS.*model_search\.Network.*betas/);
  });
});

describe('import: clear messages naming the key', () => {
  const cfg = getPreset('lecture');
  const bytes = exportStateDict(fakeState(cfg));

  it('against another config: the first misshapen keys are named with both shapes', () => {
    const other = validateConfig({ ...cfg, C: 6 });
    expect(() => importStateDict(bytes, { config: other })).toThrow(/"stem\.0\.weight" has shape \[12, 1, 3, 3\], the config needs \[18, 1, 3, 3\]/);
  });

  it('a missing key and an unexpected key', () => {
    const d = decodeStateDict(bytes);
    const header = { ...d.header, entries: d.header.entries.map((e) => (e.name === 'classifier.bias' ? { ...e, name: 'classifier.bias_typo' } : e)) };
    const edited = replaceContainerHeader(bytes, header);
    expect(() => importStateDict(edited)).toThrow(/"classifier\.bias" is missing.*unexpected key "classifier\.bias_typo"/);
  });

  it('without α and without num_batches_tracked (a PyTorch 0.3 weights.pt): accepted, α uniform, with a note', () => {
    const d = decodeStateDict(bytes);
    const header = { ...d.header, config: undefined, entries: d.header.entries.filter((e) => e.role !== 'alpha' && !e.name.endsWith('num_batches_tracked')) };
    const r = importStateDict(replaceContainerHeader(bytes, header));
    expect(r.state.config.C).toBe(cfg.C);
    expect(r.state.config.layers).toBe(cfg.layers);
    expect(r.state.config.inChannels).toBe(1);
    expect(r.state.config.numClasses).toBe(4);
    expect(Array.from(r.state.alphaNormal).every((v) => v === 0)).toBe(true);
    expect(r.notes.join(' ')).toMatch(/no α/);
  });

  it.each([
    ['wrong magic', new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0]), /does not start with "DSTD"/],
    ['truncated', bytes.subarray(0, bytes.length - 40), /truncated/],
    ['empty', new Uint8Array(0), /does not start with "DSTD"/],
  ])('%s', (_n, b, msg) => {
    expect(() => importStateDict(b)).toThrow(StateDictError);
    expect(() => importStateDict(b)).toThrow(msg);
  });

  it('a header with a broken entry names the field', () => {
    const d = decodeStateDict(bytes);
    const header = { ...d.header, entries: [{ ...d.header.entries[0], shape: 'big' }, ...d.header.entries.slice(1)] };
    expect(() => importStateDict(replaceContainerHeader(bytes, header))).toThrow(/entries\[0\]/);
  });
});

// ------------------------------------------------------------------ scripts/darts_state_dict.py

const python = spawnSync('python3', ['--version']).status === 0;
const SCRIPT = join(process.cwd(), 'scripts', 'darts_state_dict.py');

describe.skipIf(!python)('scripts/darts_state_dict.py (its torch-free part, under python3)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'darts-sd-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  // Byte-code goes to the temporary folder, never into scripts/__pycache__.
  const env = { ...process.env, PYTHONPYCACHEPREFIX: tmp, PYTHONPATH: join(process.cwd(), 'scripts') };
  const py = (code: string, ...args: string[]) => {
    const r = spawnSync('python3', ['-c', code, ...args], { encoding: 'utf8', env });
    if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
    return r.stdout;
  };

  it('compiles', () => {
    const r = spawnSync('python3', ['-m', 'py_compile', SCRIPT], { encoding: 'utf8', env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('reads a TS export, and what it writes from a (simulated) torch state_dict imports back into the same weights', () => {
    const cfg = getPreset('lecture');
    const s = fakeState(cfg);
    const exp = join(tmp, 'export.bin');
    writeFileSync(exp, exportStateDict(s));
    // What from-torch does after torch.load: state_dict items (here with DataParallel's "module."
    // prefix and modern num_batches_tracked ints) plus the α file.
    const out = py(
      `
import json, sys, darts_state_dict as d
h, t = d.read_export(sys.argv[1])
items = [('module.' + n, shape, v if isinstance(v, int) else list(v)) for n, (role, shape, v) in t.items() if role != 'alpha']
alphas = {k: (t[k][1], list(t[k][2])) for k in ('alphas_normal', 'alphas_reduce')}
h2, t2 = d.export_from_items(items, alphas)
d.write_export(sys.argv[2], h2, t2)
stem = t['stem.0.weight']
print(json.dumps({'n': len(t), 'stemShape': stem[1], 'stem0': stem[2][0], 'args': h['network']['args'], 'nbt': t['stem.1.num_batches_tracked'][2], 'args2': h2['network']['args']}))
`,
      exp,
      join(tmp, 'back.bin'),
    );
    const r = JSON.parse(out);
    const d = decodeStateDict(readFileSync(exp));
    expect(r.n).toBe(d.tensors.size);
    expect(r.stemShape).toEqual([12, 1, 3, 3]);
    expect(r.stem0).toBeCloseTo((d.tensors.get('stem.0.weight') as { data: Float32Array }).data[0], 7);
    expect(r.args).toMatchObject({ C: 4, layers: 3, num_classes: 4 });
    expect(r.nbt).toBe(12);
    expect(r.args2).toEqual({ C: 4, num_classes: 4, layers: 3 });

    const back = importStateDict(readFileSync(join(tmp, 'back.bin')), { config: cfg });
    expect(back.state.weights.map((w) => w.data)).toEqual(s.weights.map((w) => w.data));
    expect(back.state.alphaReduce).toEqual(s.alphaReduce);
    // Without a config, the network is read off the shapes.
    const inferred = importStateDict(readFileSync(join(tmp, 'back.bin'))).state.config;
    expect([inferred.C, inferred.layers, inferred.inChannels, inferred.numClasses, inferred.steps]).toEqual([4, 3, 1, 4, 4]);
  });

  it('info prints the header; a wrong file is refused with exit code 2 and a message', () => {
    const exp = join(tmp, 'info.bin');
    writeFileSync(exp, exportStateDict(fakeState(getPreset('lecture'))));
    const ok = spawnSync('python3', [SCRIPT, 'info', exp], { encoding: 'utf8', env });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ kind: 'darts-state-dict', network: { class: 'model_search.Network' } });
    writeFileSync(join(tmp, 'bad.bin'), 'hello');
    const bad = spawnSync('python3', [SCRIPT, 'info', join(tmp, 'bad.bin')], { encoding: 'utf8', env });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/does not start with "DSTD"/);
  });
});

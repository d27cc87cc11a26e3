import { describe, expect, it } from 'vitest';
import { getPreset, PRESET_NAMES } from './presets';
import {
  CONTROL_GROUPS,
  decodeLink,
  defaultLinkState,
  encodeLink,
  formatDataset,
  parseDataset,
  HIDEABLE_NAMES,
  linkEntries,
  normalizeHidden,
  URL_PARAMS,
  type LinkState,
} from './urlSchema';

/** A value different from the lecture default for every row, as URL text. */
const CHANGED: Record<string, string> = {
  preset: 'simple-convs',
  dataset: 'fashion-mnist',
  seed: '123',
  lr: '0.05',
  archLr: '0.01',
  batch: '8',
  order: '2',
  // No constraint on the rest of the config (PC-DARTS and GDAS have some: tested below).
  method: 'sdarts-rs',
  pcK: '2',
  C: '6',
  layers: '4',
  nodes: '3',
  ops: 'max_pool_3x3,skip_connect,conv_3x3',
  size: '12',
  channels: '3',
  classes: '10',
  epochs: '7',
  backend: 'wasm',
  autoplay: '1',
  speed: '0.5',
  derived: '1',
  theme: 'dark',
  largeFont: '1',
  widths: 'absolute',
  compare: '1',
};

describe('the URL table', () => {
  it('has one row per key, each with a range and a description', () => {
    const names = URL_PARAMS.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const r of URL_PARAMS) {
      expect(r.range.length, r.name).toBeGreaterThan(3);
      expect(r.description.length, r.name).toBeGreaterThan(10);
    }
    expect(Object.keys(CHANGED).sort()).toEqual([...names].sort()); // the round trip below covers every row
  });

  it('writes nothing for the default state', () => {
    expect(encodeLink(defaultLinkState())).toBe('');
    for (const p of PRESET_NAMES) expect(encodeLink(defaultLinkState(p))).toBe(p === 'lecture' ? '' : `preset=${p}`);
  });

  it.each(URL_PARAMS.map((r) => [r.name]))('round-trips %s alone', (name) => {
    // The lecture task has 4 classes: another count needs the synthetic patterns, MNIST-like sets 10.
    const value = name === 'classes' ? '5' : CHANGED[name];
    const hash = name === 'classes' ? 'dataset=synthetic&classes=5' : name === 'dataset' ? `dataset=${value}&classes=10` : `${name}=${value}`;
    const d = decodeLink('', hash);
    expect(d.notices).toEqual([]);
    expect(Object.fromEntries(linkEntries(d.state))[name]).toBe(value);
    expect(d.state).not.toEqual(defaultLinkState());
    expect(decodeLink('', encodeLink(d.state)).state).toEqual(d.state);
  });

  it('round-trips every field at once, and only non-default values are written', () => {
    // classes=10 is the default: change it on the synthetic dataset to see it written.
    const all = { ...CHANGED, dataset: 'synthetic', classes: '5' };
    const hash = Object.entries(all)
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const d = decodeLink('', hash + '&hide=ops,steps,lr');
    expect(d.notices).toEqual([]);
    const s = d.state;
    expect(s.config).toMatchObject({ seed: 123, lr: 0.05, archLr: 0.01, batchSize: 8, order: 2, C: 6, layers: 4, steps: 3, multiplier: 3 });
    expect(s.config).toMatchObject({ height: 12, width: 12, inChannels: 3, numClasses: 5, epochs: 7 });
    expect(s.config.ops).toEqual(['max_pool_3x3', 'skip_connect', 'conv_3x3']);
    expect(s.config).toMatchObject({ method: 'sdarts-rs', pcK: 2 });
    expect(s).toMatchObject({ preset: 'simple-convs', backend: 'wasm', autoplay: true, speed: 0.5, derived: true, theme: 'dark', largeFont: true, compare: true });
    expect(s.hidden).toEqual(['lr', 'ops', 'steps']); // table order
    const again = decodeLink('', encodeLink(s));
    expect(again.state).toEqual(s);
    expect(again.notices).toEqual([]);
    // dataset=synthetic is simple-convs' default, so it is not written.
    expect(encodeLink(s)).not.toContain('dataset=');
    expect(encodeLink(s)).toContain('hide=lr,ops,steps');
  });

  it('encodes config changes relative to the chosen preset', () => {
    const s: LinkState = { ...defaultLinkState('simple-convs') };
    s.config = { ...s.config, C: 8 };
    expect(encodeLink(s)).toBe('preset=simple-convs&C=8');
    expect(decodeLink('', 'preset=simple-convs&C=8').state.config).toEqual({ ...getPreset('simple-convs'), C: 8 });
  });

  it('a teaching task travels by id', () => {
    const d = decodeLink('', 'dataset=task-xor');
    expect(d.state.dataset).toEqual({ name: 'task', id: 'task-xor' });
    expect(encodeLink(d.state)).toBe('dataset=task-xor');
  });
});

describe('garbage falls back to the default, with a notice naming it', () => {
  const cases: [string, string, RegExp][] = [
    ['C=3', 'C', /C=3 \(C must be even.*\) → C=4/],
    ['C=abc', 'C', /C=abc \(C must be an even integer, 2 to 64\) → C=4/],
    ['C=1000', 'C', /C=1000 .*→ C=4/],
    ['nodes=2.5', 'nodes', /nodes=2\.5 \(nodes must be an integer, 1 to 6\) → nodes=4/],
    ['lr=-1', 'lr', /lr=-1 \(lr must be a number > 0/],
    ['lr=NaN', 'lr', /lr=NaN/],
    ['archLr=1e', 'archLr', /archLr=1e/],
    ['batch=100000', 'batch', /batch=100000 .*→ batch=16/],
    ['order=3', 'order', /order=3 \(order must be one of 1, 2\) → order=1/],
    ['method=gdass', 'method', /method=gdass \(method must be one of darts, pc-darts, darts-minus, fair-darts, gdas, sdarts-rs \(did you mean "gdas"\?\)\) → method=darts/],
    // Fine alone, not with the lecture's C=4 (validateConfig's method check): the method falls back, named.
    ['method=pc-darts', 'method', /method=pc-darts \(PC-DARTS .*C \(4\) must be a multiple of 2·pcK \(8\).*\) → method=darts/],
    ['pcK=0', 'pcK', /pcK=0 \(pcK must be an integer, 1 to 64\) → pcK=4/],
    ['compare=maybe', 'compare', /compare=maybe \(compare must be 1 or 0\) → compare=0/],
    ['ops=sep_conv_3x3,sep_conv_9x9', 'ops', /ops=sep_conv_3x3,sep_conv_9x9 \(unknown op "sep_conv_9x9"/],
    ['speed=fast', 'speed', /speed=fast \(speed must be one of 0, 10, 4, 1, 0\.5\) → speed=0/],
    ['autoplay=maybe', 'autoplay', /autoplay=maybe .*→ autoplay=0/],
    ['backend=tpu', 'backend', /backend=tpu .*→ backend=auto/],
    ['theme=pink', 'theme', /theme=pink/],
    ['preset=nope', 'preset', /preset=nope \(unknown preset "nope".*\) → preset=lecture/],
    ['dataset=cifar', 'dataset', /dataset=cifar .*→ dataset=task-long-range/],
    ['dataset=upload', 'dataset', /cannot travel in a link/],
    ['seed=-5', 'seed', /seed=-5/],
    ['size=15', 'size', /size=15 \(height 15 is odd .*\) → size=16/], // validateConfig: odd before a reduction
  ];
  it.each(cases)('%s', (hash, name, message) => {
    const d = decodeLink('', hash);
    expect(d.invalid.map((i) => i.name)).toEqual([name]);
    expect(d.notices).toHaveLength(1);
    expect(d.notices[0]).toMatch(/^Some URL settings were ignored/);
    expect(d.notices[0]).toMatch(message);
    // The state is the default one: nothing of the bad value leaked through.
    expect(d.state).toEqual(defaultLinkState());
  });

  it('keeps the good values next to a bad one', () => {
    const d = decodeLink('', 'preset=simple-convs&C=3&batch=4&size=8&speed=9');
    expect(d.invalid.map((i) => i.name)).toEqual(['C', 'speed']);
    expect(d.state.config).toMatchObject({ C: 4, batchSize: 4, height: 8 });
    expect(d.state.speed).toBe(0);
  });

  it('drops values that are fine alone but not together, naming them', () => {
    // Each is in range, but the step needs more memory than the budget.
    const d = decodeLink('', 'C=64&batch=256&layers=20');
    expect(d.invalid.map((i) => i.name).sort()).toEqual(['C', 'batch', 'layers']);
    expect(d.notices[0]).toMatch(/together with the other URL settings/);
    expect(d.state.config).toEqual(getPreset('lecture'));
  });

  it('a method that the rest of the config does not allow: the row that can change falls back', () => {
    // PC-DARTS with a K that fits C=4: kept, and written back canonically.
    const ok = decodeLink('', 'method=pc-darts&pcK=2');
    expect(ok.notices).toEqual([]);
    expect(ok.state.config).toMatchObject({ method: 'pc-darts', pcK: 2, C: 4 });
    expect(encodeLink(ok.state)).toBe('method=pc-darts&pcK=2');
    expect(decodeLink('', 'method=pc-darts&C=8').state.config).toMatchObject({ method: 'pc-darts', pcK: 4, C: 8 });
    // A K that does not fit falls back to 4, which does not fit either: then the method goes, the seed stays.
    const bad = decodeLink('', 'method=pc-darts&pcK=3&seed=5');
    expect(bad.invalid.map((i) => i.name)).toEqual(['pcK', 'method']);
    expect(bad.state.config).toMatchObject({ method: 'darts', pcK: 4, seed: 5 });
    expect(bad.notices[0]).not.toMatch(/together with the other URL settings/);
    // GDAS is first order: an explicit order=2 is the value that goes; a second-order preset drops GDAS.
    const gdas = decodeLink('', 'method=gdas&order=2');
    expect(gdas.invalid.map((i) => i.name)).toEqual(['order']);
    expect(gdas.notices[0]).toMatch(/order=2 \(GDAS is first order.*\) → order=1/);
    expect(gdas.state.config).toMatchObject({ method: 'gdas', order: 1 });
    const second = decodeLink('', 'preset=first-vs-second&method=gdas');
    expect(second.invalid.map((i) => i.name)).toEqual(['method']);
    expect(second.state.config).toEqual(getPreset('first-vs-second'));
    // DARTS-' auxiliary skip is its own op, so any op set works.
    const minus = decodeLink('', 'preset=simple-convs&method=darts-minus');
    expect(minus.invalid).toEqual([]);
    expect(minus.state.config.method).toBe('darts-minus');
  });

  it('the lecture task needs 4 classes, MNIST 10', () => {
    const d = decodeLink('', 'classes=5');
    expect(d.invalid.map((i) => i.name)).toEqual(['classes']);
    expect(d.state.config.numClasses).toBe(4);
    expect(decodeLink('', 'classes=5&dataset=synthetic').invalid).toEqual([]);
    expect(decodeLink('', 'classes=10&dataset=mnist').invalid).toEqual([]);
    expect(decodeLink('', 'classes=4&dataset=mnist').invalid.map((i) => i.name)).toEqual(['classes']);
  });

  it('reports unknown keys in the hash with a suggestion, and ignores them in the query', () => {
    const d = decodeLink('?utm_source=mail', 'Cc=4&archlr=0.1');
    expect(d.unknownKeys).toEqual(['Cc', 'archlr']);
    expect(d.notices.join(' ')).toMatch(/Unknown URL settings "Cc" \(did you mean "C"\?\), "archlr" \(did you mean "archLr"\?\)/);
    expect(d.state).toEqual(defaultLinkState());
  });

  it('a hide list keeps the known names and names the unknown ones', () => {
    const d = decodeLink('', 'hide=steps,opz,backend,steps,nonsense');
    expect(d.state.hidden).toEqual(['backend', 'steps']);
    expect(d.invalid.map((i) => i.name)).toEqual(['hide']);
    expect(d.notices[0]).toMatch(/unknown control "opz" \(did you mean "ops"\?\), "nonsense"/);
  });
});

describe('the legacy query form', () => {
  it('still works, CLI-style', () => {
    const d = decodeLink('?preset=simple-convs&size=8&batch=4&C=2&nodes=2&backend=wasm&autoplay=1');
    expect(d.notices).toEqual([]);
    expect(d.state.config).toMatchObject({ C: 2, steps: 2, height: 8, batchSize: 4 });
    expect(d.state.backend).toBe('wasm');
    expect(d.state.autoplay).toBe(true);
  });

  it('loses to the hash, key by key', () => {
    const d = decodeLink('?preset=simple-convs&C=2', '#C=6');
    expect(d.state.preset).toBe('simple-convs');
    expect(d.state.config.C).toBe(6);
  });

  it('treats empty values as not given', () => {
    expect(decodeLink('?C=&preset=', '').state).toEqual(defaultLinkState());
  });
});

describe('hideable controls', () => {
  it('are the hideable rows plus the groups, with no duplicates', () => {
    expect(new Set(HIDEABLE_NAMES).size).toBe(HIDEABLE_NAMES.length);
    for (const g of CONTROL_GROUPS) expect(HIDEABLE_NAMES).toContain(g.name);
    expect(HIDEABLE_NAMES).toContain('backend');
    expect(HIDEABLE_NAMES).not.toContain('size');
  });

  it('normalise to table order without unknown names', () => {
    expect(normalizeHidden(['io', 'x', 'lr', 'io'])).toEqual(['lr', 'io']);
  });
});

describe('dataset values', () => {
  it('carry augmentation as +augment and round-trip', () => {
    for (const d of [{ name: 'mnist', augment: true }, { name: 'task', id: 'task-xor', augment: true }, { name: 'fashion-mnist' }] as const) {
      const text = formatDataset(d);
      expect(parseDataset(text)).toEqual({ ok: true, value: d });
    }
    expect(formatDataset({ name: 'mnist', augment: true })).toBe('mnist+augment');
    expect(parseDataset('mnist augment')).toEqual({ ok: true, value: { name: 'mnist', augment: true } }); // '+' decoded as a space
    expect(parseDataset('synthetic+augment').ok).toBe(false);
  });
});

/**
 * What the page URL may set, validated on decode (TF Playground's limits were UI-only, #63).
 *
 *   ?preset=lecture|tiny-mnist|tiny-cifar|paper|simple-convs   base configuration (default lecture)
 *   ?backend=webgpu|webgl|wasm|cpu                              skip the probe and use this backend
 *   ?C= &layers= &nodes= &size= &classes= &batch= &seed= &order= &ops=a,b,c &lr= &archLr=
 *                                                               overrides, named like the CLI flags
 *   ?autoplay=1                                                 start searching once ready
 *
 * Anything invalid is dropped with a message, and the page still opens on a valid configuration.
 */
import type { SearchConfig } from '../core/config';
import { getPreset, getPresetInfo, PRESET_NAMES } from '../core/presets';
import { ConfigError, validateConfig } from '../core/validateConfig';
import type { BackendName } from '../engine/types';
import { isBackendName } from '../worker/protocol';

export const DEFAULT_PRESET = 'lecture';

export interface UrlState {
  preset: string;
  config: SearchConfig;
  backend?: BackendName;
  autoplay: boolean;
  /** Problems found in the URL, shown to the user once. */
  notices: string[];
}

type Override = (o: Record<string, unknown>, v: string) => void;

const num = (key: keyof SearchConfig): Override => (o, v) => {
  o[key] = Number(v);
};

const OVERRIDES: Record<string, Override> = {
  C: num('C'),
  layers: num('layers'),
  nodes: (o, v) => {
    o.steps = Number(v);
  },
  size: (o, v) => {
    o.height = Number(v);
    o.width = Number(v);
  },
  classes: num('numClasses'),
  batch: num('batchSize'),
  seed: num('seed'),
  order: num('order'),
  lr: num('lr'),
  archLr: num('archLr'),
  epochs: num('epochs'),
  ops: (o, v) => {
    o.ops = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  },
};

export function parseUrlState(search: string): UrlState {
  const q = new URLSearchParams(search);
  const notices: string[] = [];

  let preset = q.get('preset') ?? DEFAULT_PRESET;
  if (!(PRESET_NAMES as readonly string[]).includes(preset)) {
    notices.push(`Unknown preset "${preset}" in the URL; using "${DEFAULT_PRESET}". Presets: ${PRESET_NAMES.join(', ')}.`);
    preset = DEFAULT_PRESET;
  }
  const base = getPreset(preset);
  const info = getPresetInfo(preset);
  if (info.dataset !== 'synthetic') {
    notices.push(
      `The "${preset}" preset is meant for ${info.dataset === 'mnist' ? 'MNIST' : 'CIFAR-10'}, which the browser app does not ship yet: ` +
        `it searches on synthetic patterns of the same shape (${base.height}×${base.width}×${base.inChannels}). ${info.description}`,
    );
  }

  let backend: BackendName | undefined;
  const b = q.get('backend');
  if (b !== null && b !== '' && b !== 'auto') {
    if (isBackendName(b)) backend = b;
    else notices.push(`Unknown backend "${b}" in the URL; probing webgpu → webgl → wasm → cpu instead.`);
  }

  const overrides: Record<string, unknown> = {};
  for (const [key, apply] of Object.entries(OVERRIDES)) {
    const v = q.get(key);
    if (v !== null && v !== '') apply(overrides, v);
  }
  // The cell output concatenates every node unless the preset said otherwise (as in the CLI).
  if (overrides.steps !== undefined && base.multiplier === base.steps) overrides.multiplier = overrides.steps;

  let config = base;
  if (Object.keys(overrides).length > 0) {
    try {
      config = validateConfig({ ...base, ...overrides });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      notices.push(
        `The URL settings were ignored: ${e.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}.`,
      );
    }
  }
  const auto = q.get('autoplay');
  return { preset, config, backend, autoplay: auto === '1' || auto === 'true', notices };
}

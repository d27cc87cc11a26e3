/**
 * What the page URL sets, read with the table of src/core/urlSchema.ts (every key, its type,
 * default and range is listed there).
 *
 *   #preset=simple-convs&C=8&speed=1&hide=ops,backend      the canonical form (written by urlSync.ts)
 *   ?preset=simple-convs&size=8&batch=4&C=2&nodes=2        the older query form, still read
 *
 * Both use the CLI's flag names for config overrides (C, layers, nodes, size, classes, batch, seed,
 * order, ops, lr, archLr, epochs). When both are present, the hash wins key by key.
 * Anything invalid falls back to its default with a notice that names it, and the page still
 * opens on a valid configuration (TF Playground's limits were UI-only, tensorflow/playground#63).
 */
import type { SearchConfig } from '../core/config';
import type { PresetName } from '../core/presets';
import { decodeLink, type LinkState, type Theme, type WidthScale } from '../core/urlSchema';
import type { BackendName } from '../engine/types';
import type { DatasetSpec } from '../worker/protocol';

export { DEFAULT_PRESET } from '../core/urlSchema';

export interface UrlState {
  preset: PresetName;
  config: SearchConfig;
  /** A backend to use instead of probing (absent: probe webgpu → webgl → wasm → cpu). */
  backend?: BackendName;
  autoplay: boolean;
  /** The dataset to search on (the preset's unless the link names another). */
  dataset: DatasetSpec;
  /** Controls the link hides (src/core/urlSchema.ts HIDEABLE_NAMES). */
  hidden: string[];
  view: { speed: number; derived: boolean; theme: Theme; largeFont: boolean; widths: WidthScale };
  /** The whole decoded link, for urlSync.ts to start from. */
  link: LinkState;
  /** Problems found in the URL, shown to the user once. */
  notices: string[];
}

/** Read `location.search` and `location.hash` (each with or without its '?' / '#'). */
export function parseUrlState(search: string, hash = ''): UrlState {
  const { state, notices } = decodeLink(search, hash);
  return {
    preset: state.preset,
    config: state.config,
    backend: state.backend === 'auto' ? undefined : state.backend,
    autoplay: state.autoplay,
    dataset: state.dataset,
    hidden: state.hidden,
    view: { speed: state.speed, derived: state.derived, theme: state.theme, largeFont: state.largeFont, widths: state.widths },
    link: state,
    notices,
  };
}

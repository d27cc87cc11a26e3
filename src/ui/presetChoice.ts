/**
 * Applying a preset from the preset menu: its config, its dataset (a preset names the data it is
 * meant for, e.g. "Lecture: quick MNIST"), and its name as the base of the page's link
 * (src/ui/urlSync.ts writes config values relative to it).
 */
import type { SearchConfig } from '../core/config';
import type { PresetName } from '../core/presets';
import { presetDataset } from '../core/urlSchema';
import type { Controller } from './controller';
import { configForDataset, specValue } from './datasetChoice';
import { data } from './dataStores';
import { setLinkPreset } from './urlSync';

/** Run `config` (the preset's, possibly edited in the form) on the preset's dataset. */
export function applyPreset(controller: Controller, name: PresetName, config: SearchConfig): void {
  setLinkPreset(name);
  const spec = presetDataset(name);
  if (specValue(spec) !== specValue(data.get().spec)) controller.setDataset(spec, configForDataset(config, spec, null));
  else controller.applyConfig(config);
}

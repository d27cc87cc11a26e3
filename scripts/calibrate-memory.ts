/**
 * Fits core/memory.ts: `npx tsx scripts/calibrate-memory.ts` measures the peak of one step (each
 * tensor buffer once) on wasm for a few configs, whole graph and cell by cell, and prints the
 * ratio measured / uncalibrated estimate (MEMORY_CALIBRATION should sit near the largest ratio).
 */
import { CELLWISE_CALIBRATION, estimateCellwiseBytes, estimateStepMemory, MEMORY_CALIBRATION } from '../src/core/memory';
import { getPreset } from '../src/core/presets';
import { validateConfig } from '../src/core/validateConfig';
import { RandomDataSource } from '../src/data/random';
import { measurePeakBytes } from '../src/engine/bench';
import { initNodeBackend } from '../src/engine/node';
import { DartsSearch } from '../src/engine/search';

await initNodeBackend('wasm');
const cases = [
  ['lecture', {}],
  ['lecture', { order: 2 }],
  ['simple-convs', {}],
  ['skip-collapse', {}],
  ['tiny-mnist', {}],
  ['tiny-cifar', {}],
  ['lecture', { C: 8, batchSize: 32 }],
] as const;
for (const [preset, over] of cases) {
  const cfg = validateConfig({ ...getPreset(preset), ...over, memoryBudgetBytes: 1e12 });
  for (const cellwise of [false, true]) {
    const s = DartsSearch.create(cfg, new RandomDataSource(cfg.height, cfg.width, cfg.inChannels, cfg.numClasses, 1));
    s.model.cellwise = cellwise;
    await s.step('both');
    const peak = await measurePeakBytes(() => s.step('both'));
    s.dispose();
    const est = cellwise ? estimateCellwiseBytes(cfg) : estimateStepMemory(cfg).totalBytes;
    console.log(JSON.stringify({ preset, over, cellwise, peakMB: +(peak / 1e6).toFixed(1), estMB: +(est / 1e6).toFixed(1), ratio: +(peak / (est / (cellwise ? CELLWISE_CALIBRATION : MEMORY_CALIBRATION))).toFixed(3) }));
  }
}

/**
 * Kernel profile of one search step: `npx tsx scripts/profile-kernels.ts [preset] [backend] [order] [phase]`
 * prints kernels per step and the most expensive kernels (self time, ms). phase: both|arch|weights.
 */
import { initNodeBackend } from '../src/engine/node';
import { getPreset } from '../src/core/presets';
import { validateConfig } from '../src/core/validateConfig';
import { RandomDataSource } from '../src/data/random';
import { DartsSearch } from '../src/engine/search';
import { countKernels, topKernels } from '../src/engine/kernelCounter';
import { simdProfile } from '../src/engine/kernels/simd/simdKernels';

const [preset = 'lecture', backend = 'wasm', order = '1', phase = 'both'] = process.argv.slice(2);
await initNodeBackend(backend as 'wasm' | 'cpu');
const config = validateConfig({ ...getPreset(preset), order: Number(order) as 1 | 2 });
const data = new RandomDataSource(config.height, config.width, config.inChannels, config.numClasses, 1);
const s = DartsSearch.create(config, data);
await s.step('both');
await s.step('both');
const t0 = performance.now();
const simd = simdProfile(true);
const { stats } = await countKernels(() => s.step(phase as 'both'));
simdProfile(false);
const wall = performance.now() - t0;
console.error(JSON.stringify({ preset, backend, order, phase, kernels: stats.total, kernelMs: Math.round(stats.totalMs), wallMs: Math.round(wall) }));
console.error(topKernels(stats, Number(process.env.TOP ?? 30)).map((r) => `${r.name.padEnd(40)} ${String(r.count).padStart(7)} ${String(r.ms).padStart(9)} ms ${r.usEach} ms each`).join('\n'));
s.dispose();
if (simd.size) console.error('\nSIMD kernel bodies (inclusive of the bodies they call):\n' + [...simd.entries()].sort((a, b) => b[1].ms - a[1].ms).map(([k, v]) => `${k.padEnd(40)} ${String(v.count).padStart(7)} ${v.ms.toFixed(1).padStart(9)} ms`).join('\n'));

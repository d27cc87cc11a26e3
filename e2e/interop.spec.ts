/**
 * Interop with quark0/darts as a researcher uses it in the app (issue 12 item 3): a real
 * train_search.py console log opens as a replay that plays and scrubs, and "Export for PyTorch"
 * downloads a state_dict export whose names are the reference's.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeStateDict } from '../src/core/stateDict';
import { app, clickStep, expect, openApp, test } from './fixtures';

const LOG = fileURLToPath(new URL('../src/core/__fixtures__/train_search_modern.txt', import.meta.url));

test('a train_search.py log plays as a replay; the run exports for PyTorch', async ({ page }) => {
  // The lecture network: 4-node cells and the 8 reference ops, like the log.
  await openApp(page, 'preset=lecture&backend=wasm&autoplay=0');
  await page.getByTestId('open-replay-file').setInputFiles(LOG);
  const banner = page.getByTestId('replay-banner');
  // The log's 5 epochs sit at steps 0, 391, …, 1564 (391 steps per epoch from its args line).
  await expect(banner).toContainText('of 1564', { timeout: 30_000 });

  // The live run: one step, then the export.
  await openApp(page, 'preset=lecture&backend=wasm');
  await clickStep(page, 'Step both');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export for PyTorch' }).click();
  const d = await download;
  expect(d.suggestedFilename()).toMatch(/^darts-weights-step\d+\.bin$/);
  const exp = decodeStateDict(new Uint8Array(readFileSync(await d.path())));
  const names = [...exp.tensors.keys()];
  expect(names).toContain('stem.0.weight');
  expect(names).toContain('cells.0._ops.0._ops.4.op.1.weight');
  expect(names).toContain('alphas_normal');
});

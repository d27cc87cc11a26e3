/**
 * Save run / Open run (issue 11 item 2): a run saved after 3 steps, reopened in a fresh page and
 * stepped twice, is bit-for-bit the run that was never interrupted (weights, α, optimisers), and
 * a file that is not a run file is refused with a message while the run goes on.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { decodeRunFile } from '../src/core/runFile';
import { app, clickStep, expect, openApp, test, TINY } from './fixtures';

async function saveRun(page: Page): Promise<ReturnType<typeof decodeRunFile>> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save run', exact: true }).click();
  const d = await download;
  expect(d.suggestedFilename()).toMatch(/^darts-run-step\d+\.darts$/);
  return decodeRunFile(new Uint8Array(readFileSync(await d.path())));
}

test('a saved run reopens after a reload and continues bit-identically', async ({ page }) => {
  const url = `${TINY}&backend=wasm`;
  await openApp(page, url);
  for (let i = 0; i < 3; i++) await clickStep(page, 'Step both');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save run', exact: true }).click();
  const at3 = await (await download).path();
  await expect(page.getByRole('status').filter({ hasText: '--resume darts-run-step3.darts' })).toBeVisible();
  for (let i = 0; i < 2; i++) await clickStep(page, 'Step both');
  const whole = await saveRun(page);

  // A fresh page: the run is gone, then comes back from the file at step 3.
  await openApp(page, url);
  await expect(app(page)).toHaveAttribute('data-step', '0');
  await page.getByTestId('open-run-file').setInputFiles(at3);
  await expect(app(page)).toHaveAttribute('data-step', '3', { timeout: 60_000 });
  await expect(app(page)).toHaveAttribute('data-ready', 'true');
  for (let i = 0; i < 2; i++) await clickStep(page, 'Step both');
  const resumed = await saveRun(page);

  expect(resumed.state.step).toBe(5);
  expect(resumed.state.alphaNormal).toEqual(whole.state.alphaNormal);
  expect(resumed.state.alphaReduce).toEqual(whole.state.alphaReduce);
  expect(resumed.state.weights).toEqual(whole.state.weights);
  expect(resumed.state.momentum).toEqual(whole.state.momentum);
  expect(resumed.state.adam).toEqual(whole.state.adam);
  expect(resumed.state.rngState).toEqual(whole.state.rngState);
  // The chart history came back with the file: 5 steps of losses.
  expect(resumed.history?.step).toEqual([1, 2, 3, 4, 5]);
});

test('a file that is not a run file is refused with a message; the run goes on', async ({ page }) => {
  await openApp(page, `${TINY}&backend=wasm`);
  await clickStep(page, 'Step both');
  await page.getByTestId('open-run-file').setInputFiles({ name: 'genotype.json', mimeType: 'application/json', buffer: Buffer.from('{"normal": []}') });
  await expect(page.getByRole('alert').filter({ hasText: 'not a usable run file' })).toBeVisible();
  await expect(app(page)).toHaveAttribute('data-step', '1');
  await clickStep(page, 'Step both');
  await expect(app(page)).toHaveAttribute('data-step', '2');
});

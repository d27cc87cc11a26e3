/**
 * Autosave and resume (issue 11 item 1): the run is saved to IndexedDB as it goes; after a
 * reload the page offers "Resume run from step N", which brings back exactly that run, and
 * "Start fresh" forgets it.
 */
import { app, autosavedStep, clickStep, expect, openApp, test, TINY, weights } from './fixtures';

test('a reload offers the autosaved run back; Resume restores it, Start fresh forgets it', async ({ page }) => {
  const url = `${TINY}&backend=wasm`;
  await openApp(page, url);
  for (let i = 0; i < 3; i++) await clickStep(page, 'Step both');
  const before = await weights(page);
  // The write is asynchronous (IndexedDB); wait until the saved step is the last one.
  await expect.poll(() => autosavedStep(page)).toBe(3);

  await openApp(page, url);
  const offer = page.getByRole('region', { name: 'Resume the saved run' });
  await expect(offer).toContainText('saved automatically at step 3');
  await expect(app(page)).toHaveAttribute('data-step', '0');
  await offer.getByRole('button', { name: 'Resume run from step 3' }).click();
  await expect(app(page)).toHaveAttribute('data-step', '3', { timeout: 60_000 });
  await expect(app(page)).toHaveAttribute('data-ready', 'true');
  await expect(offer).toHaveCount(0);
  expect(await weights(page)).toEqual(before);

  await openApp(page, url);
  await page.getByRole('region', { name: 'Resume the saved run' }).getByRole('button', { name: 'Start fresh' }).click();
  await expect(page.getByRole('region', { name: 'Resume the saved run' })).toHaveCount(0);
  await openApp(page, url);
  await expect(page.getByRole('region', { name: 'Resume the saved run' })).toHaveCount(0);
});

/**
 * Worker crash recovery (issue 11 item 3): the worker throws outside a step in the middle of a
 * run; the page starts a new worker, puts the run back from its last autosave, says so, and the
 * search goes on from there.
 */
import { app, autosavedStep, expect, openApp, step, test, TINY } from './fixtures';

test('a worker that crashes mid-run is replaced, and the run resumes from its last autosave', async ({ page }) => {
  await openApp(page, `${TINY}&backend=wasm`);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect.poll(() => step(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
  await expect.poll(() => autosavedStep(page)).toBeGreaterThanOrEqual(1);

  await page.evaluate(() => (window as unknown as { __dartsTest: { crashWorker(): void } }).__dartsTest.crashWorker());
  const banner = page.getByRole('alert').filter({ hasText: 'crashed' });
  await expect(banner).toContainText(/resumed the run from its last autosave, step \d+\./, { timeout: 30_000 });
  const saved = Number(/autosave, step (\d+)/.exec((await banner.textContent()) ?? '')![1]);
  expect(saved).toBeGreaterThanOrEqual(1);
  await expect(app(page)).toHaveAttribute('data-step', String(saved), { timeout: 60_000 });
  await expect(app(page)).toHaveAttribute('data-ready', 'true');
  await expect(app(page)).toHaveAttribute('data-backend', 'wasm');

  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(banner).toHaveCount(0);
  await expect.poll(() => step(page), { timeout: 60_000 }).toBeGreaterThan(saved);
});

/**
 * Issue 10 item 4: a command given before the worker is ready is never lost. Space pressed right
 * after navigation (on the default link, while the replay plays and the supernet is still being
 * built) shows that Play waits, and the live run starts once the supernet is ready. Steps clicked
 * early are queued and run in order.
 */
import { app, expect, test, TINY } from './fixtures';

test('Space right after navigation starts the run once the worker is ready', async ({ page }) => {
  await page.goto('/');
  const root = app(page);
  await expect(root).toBeVisible();
  await page.locator('body').press(' ');
  // While the supernet is not built yet, the Play button says it waits.
  const play = page.getByRole('button', { name: 'Play', exact: true });
  if ((await root.getAttribute('data-ready')) !== 'true') await expect(play).toHaveAttribute('data-waiting', 'true');
  await expect(root).toHaveAttribute('data-state', 'running', { timeout: 120_000 });
  await expect.poll(async () => Number(await root.getAttribute('data-step')), { timeout: 120_000 }).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(root).toHaveAttribute('data-state', 'paused');
});

test('steps clicked before the supernet is built are queued, shown, and run in order', async ({ page }) => {
  await page.goto(`/?${TINY}`);
  const root = app(page);
  const both = page.getByRole('button', { name: 'Step both', exact: true });
  await expect(both).toBeEnabled();
  const early = (await root.getAttribute('data-ready')) !== 'true';
  await both.click();
  await both.click();
  if (early) await expect(page.getByRole('status').filter({ hasText: /Step both waits? for the search worker/ })).toBeVisible();
  await expect(root).toHaveAttribute('data-step', '2', { timeout: 120_000 });
  await expect(root).toHaveAttribute('data-arch-step', '2');
  await expect(page.locator('.queue-note')).toHaveCount(0);
});

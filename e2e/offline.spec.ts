/**
 * Issue 5 item 9: after one visit the app and its datasets work with no network (the service
 * worker of src/pwa). First visit online, wait until the worker controls the page and has
 * precached the build; then the browser goes offline and the page is reloaded: it must start,
 * step, and load MNIST from the cache.
 */
import type { Page } from '@playwright/test';
import { app, clickStep, expect, openApp, test } from './fixtures';

// The service worker is blocked for the other specs (playwright.config.ts); this one needs it.
test.use({ serviceWorkers: 'allow' });

/** Paths (relative to the site root) cached by the app's service worker. */
async function precached(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const names = (await caches.keys()).filter((n) => n.startsWith('darts-app-'));
    const out: string[] = [];
    for (const n of names) {
      for (const req of await (await caches.open(n)).keys()) out.push(new URL(req.url).pathname.slice(1));
    }
    return out;
  });
}

test('an offline reload after the first visit works: the app starts, steps and loads MNIST', async ({ page, context }) => {
  // First visit, online.
  await openApp(page);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 60_000 }).toBe(true);
  await expect(page.getByRole('status').filter({ hasText: 'Ready to work offline' })).toBeVisible({ timeout: 60_000 });
  const cached = await precached(page);
  for (const path of ['index.html', 'data/mnist.bin', 'data/fashion-mnist.bin', 'data/manifest.json', 'manifest.webmanifest']) {
    expect(cached, path).toContain(path);
  }
  // The JS, CSS and the SIMD wasm binary the worker runs on.
  expect(cached.some((p) => /^assets\/search\.worker-.*\.js$/.test(p))).toBe(true);
  expect(cached.some((p) => /^assets\/index-.*\.css$/.test(p))).toBe(true);
  expect(cached.some((p) => /^assets\/tfjs-backend-wasm-simd-.*\.wasm$/.test(p))).toBe(true);

  // No network from here on.
  await context.setOffline(true);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await page.reload();
  const root = app(page);
  await expect(root).not.toHaveAttribute('data-backend', '', { timeout: 120_000 });
  await expect(root).toHaveAttribute('data-ready', 'true', { timeout: 120_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Offline: running from the saved copy' })).toBeVisible();

  // The built-in dataset comes from the cache too (picked at step 0: no "switch the dataset?" question).
  await page.getByRole('combobox', { name: 'Dataset', exact: true }).selectOption('mnist');
  const card = page.locator('.dataset-card[data-dataset="mnist"]');
  await expect(card).toBeVisible({ timeout: 120_000 });
  await expect(card).toContainText('training images');
  await expect(root).toHaveAttribute('data-ready', 'true', { timeout: 120_000 });
  await clickStep(page, 'Step both');
});

test('the web app manifest is linked and names the app', async ({ page }) => {
  await openApp(page);
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const manifest = (await (await page.request.get(href!)).json()) as { name: string; start_url: string; icons: unknown[] };
  expect(manifest.name).toBe('DARTS Playground');
  expect(manifest.icons.length).toBeGreaterThan(0);
});

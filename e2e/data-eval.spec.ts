/**
 * Issue 4 end to end: pick MNIST in the UI (downloaded into the worker, shown on a dataset card),
 * search a few steps on it, train the derived cell from scratch for a short run and read its
 * held-out test accuracy. Then a bad user file gets a message naming it, and the run survives.
 */
import { zipSync } from 'fflate';
import { app, expect, openApp, step, test } from './fixtures';

test('MNIST: load, search, train the derived cell, see a test accuracy', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Dataset', { exact: true }).selectOption('mnist');
  const card = page.locator('.dataset-card[data-dataset="mnist"]');
  await expect(card).toBeVisible({ timeout: 120_000 });
  await expect(card).toContainText('training images');
  await expect(card.locator('canvas.sample')).toHaveCount(40); // 4 samples × 10 classes
  await expect(card).toContainText('MIT');
  await expect(app(page)).toHaveAttribute('data-ready', 'true', { timeout: 120_000 });

  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step both' }).click();
  await expect.poll(() => step(page), { timeout: 60_000 }).toBe(3);

  const panel = page.locator('.evaluate-panel');
  await panel.getByLabel('Epochs').fill('1');
  await panel.getByLabel('Random cells').fill('1');
  await panel.getByRole('button', { name: 'Train this cell' }).click();
  await expect(panel).toHaveAttribute('data-eval-state', 'running');
  await expect(panel.getByRole('status')).toContainText('batch', { timeout: 60_000 });
  await expect(panel).toHaveAttribute('data-eval-state', 'done', { timeout: 300_000 });
  const acc = Number(await panel.locator('[data-test-accuracy]').getAttribute('data-test-accuracy'));
  expect(acc).toBeGreaterThan(0.2); // chance is 0.1
  await expect(panel).toContainText('parameters');
  await expect(panel.locator('.eval-results-chart g')).toHaveCount(2); // the derived cell and one random cell

  // The search goes on afterwards.
  await page.getByRole('button', { name: 'Step both' }).click();
  await expect.poll(() => step(page), { timeout: 60_000 }).toBe(4);
});

test('a corrupt CIFAR file is named in the message and the run is untouched', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Step both' }).click();
  await expect.poll(() => step(page)).toBe(1);
  await page.getByText('Use your own data').click();
  await page.getByTestId('upload-files').setInputFiles({ name: 'data_batch_1.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(3073 * 2 + 5, 1) });
  await expect(page.getByRole('alert').filter({ hasText: 'data_batch_1.bin' })).toBeVisible({ timeout: 60_000 });
  expect(await step(page)).toBe(1);
  await expect(app(page)).not.toHaveAttribute('data-state', 'error');
});

test('hostile file and folder names in an upload are shown as text only', async ({ page }) => {
  await openApp(page);
  // A valid 1×1 PNG, and names with markup, a right-to-left override, control characters, 300 characters.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const evil = '<img src=x onerror="window.__pwned=1">';
  const rtl = 'cats\u202Egnp.exe';
  const long = `${'L'.repeat(300)}.txt`;
  const zip = zipSync({
    [`${evil}/a.png`]: png,
    [`${evil}/b.png`]: png,
    [`${rtl}/a.png`]: png,
    [`${rtl}/b.png`]: png,
    [`${evil}/${evil}.txt`]: new TextEncoder().encode('not an image'),
    [`${rtl}/bell\u0007tab\u0009.txt`]: new TextEncoder().encode('not an image'),
    [`${rtl}/${long}`]: new TextEncoder().encode('not an image'),
  });
  await page.getByText('Use your own data').click();
  await page.getByTestId('upload-files').setInputFiles({ name: `${evil}.zip`, mimeType: 'application/zip', buffer: Buffer.from(zip) });
  const problems = page.locator('ul.problems');
  await expect(problems).toContainText(`${evil}.txt`, { timeout: 60_000 }); // the skipped file, named as text…
  await expect(problems).toContainText('L'.repeat(300));
  await expect(page.getByRole('status').filter({ hasText: 'in 2 classes' })).toBeVisible();
  await expect(page.locator('img[src="x"]')).toHaveCount(0); // …never parsed as HTML
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(app(page)).not.toHaveAttribute('data-state', 'error');
});

/**
 * Issue 4 end to end: pick MNIST in the UI (downloaded into the worker, shown on a dataset card),
 * search a few steps on it, train the derived cell from scratch for a short run and read its
 * held-out test accuracy. Then a bad user file gets a message naming it, and the run survives.
 */
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

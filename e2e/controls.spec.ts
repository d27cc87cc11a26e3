import { app, clickStep, expect, openApp, step, test, weights } from './fixtures';

test.describe('controls', () => {
  test.beforeEach(async ({ page }) => {
    await openApp(page, `${'preset=simple-convs&size=8&batch=4&C=2&nodes=2'}&backend=wasm`);
  });

  test('Play runs the search: data-step increases and data-weight values change; Pause stops it', async ({ page }) => {
    const root = app(page);
    const w0 = await weights(page);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect(root).toHaveAttribute('data-state', 'running');
    await expect.poll(() => step(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
    await expect.poll(async () => JSON.stringify(await weights(page)), { timeout: 60_000 }).not.toBe(JSON.stringify(w0));
    await expect(page.getByTestId('steps-per-sec')).not.toHaveText('–');

    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect(root).toHaveAttribute('data-state', 'paused');
    const stopped = await step(page);
    const wStopped = await weights(page);
    // Nothing ran after the pause: one weight step lands exactly on stopped + 1, and the export
    // (which the worker answers after any step in progress) reports the same step.
    await clickStep(page, 'Step w');
    expect(await step(page)).toBe(stopped + 1);
    // A weight step leaves α alone.
    expect(await weights(page)).toEqual(wStopped);
    await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeEnabled();
  });

  test('each Step button does one step of its kind', async ({ page }) => {
    const root = app(page);
    const w0 = await weights(page);

    await clickStep(page, 'Step α');
    await expect(root).toHaveAttribute('data-step', '0');
    await expect(root).toHaveAttribute('data-arch-step', '1');
    const w1 = await weights(page);
    expect(w1).not.toEqual(w0);

    await clickStep(page, 'Step w');
    await expect(root).toHaveAttribute('data-step', '1');
    await expect(root).toHaveAttribute('data-arch-step', '1');
    expect(await weights(page)).toEqual(w1);

    await clickStep(page, 'Step both');
    await expect(root).toHaveAttribute('data-step', '2');
    await expect(root).toHaveAttribute('data-arch-step', '2');
    expect(await weights(page)).not.toEqual(w1);
  });

  test('keyboard: Space plays and pauses, S steps', async ({ page }) => {
    const root = app(page);
    await page.locator('body').press('s');
    await expect(root).toHaveAttribute('data-step', '1', { timeout: 60_000 });
    await page.locator('body').press(' ');
    await expect(root).toHaveAttribute('data-state', 'running');
    await page.locator('body').press(' ');
    await expect(root).toHaveAttribute('data-state', 'paused');
  });
});

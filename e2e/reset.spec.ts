import { app, clickStep, expect, openApp, test, weights, TINY } from './fixtures';

for (const backend of ['cpu', 'wasm'] as const) {
  test(`Reset with the same seed reproduces the same weights (${backend})`, async ({ page }) => {
    await openApp(page, `${TINY}&backend=${backend}`);
    const root = app(page);
    await expect(root).toHaveAttribute('data-backend', backend);
    const initial = await weights(page);
    for (let i = 0; i < 3; i++) await clickStep(page, 'Step both');
    const after3 = await weights(page);
    expect(after3).not.toEqual(initial);

    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.getByRole('menuitem', { name: /Same seed/ }).click();
    await expect(root).toHaveAttribute('data-state', 'idle');
    await expect(root).toHaveAttribute('data-step', '0');
    await expect(root).toHaveAttribute('data-ready', 'true');
    expect(await weights(page)).toEqual(initial);
    for (let i = 0; i < 3; i++) await clickStep(page, 'Step both');
    expect(await weights(page)).toEqual(after3);
  });
}

test('Reset with a new seed starts another search', async ({ page }) => {
  await openApp(page, `${TINY}&backend=wasm&seed=2`);
  const root = app(page);
  await clickStep(page, 'Step both');
  const seeded = await weights(page);
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await page.getByRole('menuitem', { name: /New seed/ }).click();
  await expect(root).toHaveAttribute('data-step', '0');
  await expect(root).toHaveAttribute('data-state', 'idle');
  await expect(root).toHaveAttribute('data-ready', 'true');
  // The form shows the new seed once the worker has rebuilt the run.
  await expect(page.getByLabel('Seed', { exact: true })).not.toHaveValue('2');
  await clickStep(page, 'Step both');
  expect(await weights(page)).not.toEqual(seeded);
});

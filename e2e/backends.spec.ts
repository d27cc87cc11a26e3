import { app, clickStep, expect, openApp, test, weights, TINY } from './fixtures';

/** webgl and webgpu run on SwiftShader (a CPU rasteriser) here: seconds per step, so one step each. */
for (const backend of ['cpu', 'wasm', 'webgl', 'webgpu'] as const) {
  test(`?backend=${backend} runs the search on ${backend}`, async ({ page }) => {
    await openApp(page, `${TINY}&backend=${backend}`);
    const root = app(page);
    const fallback = await page.getByTestId('backend-badge').getAttribute('title');
    await expect(root, `fell back instead: ${fallback}`).toHaveAttribute('data-backend', backend);
    await expect(page.locator('#fallback-reasons')).toHaveCount(0);
    const w0 = await weights(page);
    await clickStep(page, 'Step both');
    expect(await weights(page)).not.toEqual(w0);
    await expect(page.getByRole('alert')).toHaveCount(0);
  });
}

test('moving a run to another backend keeps its weights, α and step', async ({ page }) => {
  await openApp(page, `${TINY}&backend=cpu`);
  const root = app(page);
  await clickStep(page, 'Step both');
  await clickStep(page, 'Step both');
  const w = await weights(page);
  await page.getByLabel('Move the run to another backend').selectOption('wasm');
  await expect(root).toHaveAttribute('data-backend', 'wasm');
  await expect(root).toHaveAttribute('data-step', '2');
  expect(await weights(page)).toEqual(w);
  await clickStep(page, 'Step both');
  await expect(root).toHaveAttribute('data-step', '3');
});

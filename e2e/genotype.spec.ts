import { readFile } from 'node:fs/promises';
import { app, clickStep, expect, openApp, step, test, TINY } from './fixtures';

const DARTS_V2 =
  "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])";

test.describe('genotype panel', () => {
  test.beforeEach(async ({ page }) => {
    await openApp(page, `${TINY}&backend=wasm`);
    await clickStep(page, 'Step both');
    await clickStep(page, 'Step both');
  });

  test('Export genotype downloads JSON equal to the shown genotype, with meta', async ({ page }) => {
    const shown = JSON.parse((await page.getByTestId('genotype-json').textContent()) ?? '');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export genotype', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^darts-genotype-seed\d+-step2\.json$/);
    const file = JSON.parse(await readFile((await download.path())!, 'utf8'));
    for (const k of ['normal', 'normal_concat', 'reduce', 'reduce_concat']) expect(file[k]).toEqual(shown[k]);
    expect(file.meta).toMatchObject({ app: 'darts-playground', step: 2, dataset: 'synthetic', seed: expect.any(Number) });
    expect(file.meta.appVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(file.meta.config).toMatchObject({ C: 2, steps: 2, ops: ['conv_1x1', 'conv_3x3', 'conv_5x5'] });
    expect(file.meta.alpha.kind).toBe('softmax');
    expect(file.meta.alpha.normal).toHaveLength(5);
    expect(file.meta.alpha.normal[0]).toHaveLength(3);
    const rowSum = file.meta.alpha.normal[0].reduce((s: number, v: number) => s + v, 0);
    expect(rowSum).toBeCloseTo(1, 5);
    // The same softmax weights are on the curves (4 decimals).
    const w = await page.locator('path.op[data-cell="normal"][data-from="0"][data-to="0"]').first().getAttribute('data-weight');
    expect(Number(w)).toBeCloseTo(file.meta.alpha.normal[0][0], 4);
  });

  test('Export SVG downloads both cells as one standalone SVG', async ({ page }) => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export SVG', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('darts-cells-step2.svg');
    const svg = await readFile((await download.path())!, 'utf8');
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('data-cell="normal"');
    expect(svg).toContain('data-cell="reduce"');
    // It parses as SVG and draws in the browser.
    const ok = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return !doc.querySelector('parsererror') && doc.querySelectorAll('path.op').length;
    }, svg);
    expect(ok).toBe(2 * 5 * 3);
  });

  test('Copy as Python gives the Genotype line and how to train it', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy as Python', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
    const text = await page.evaluate(() => navigator.clipboard.readText());
    const repr = (await page.getByTestId('genotype-repr').textContent()) ?? '';
    expect(text).toContain(`MY_ARCH = ${repr}`);
    expect(text).toContain('cd cnn && python train.py --auxiliary --cutout --arch MY_ARCH');
  });

  test('importing a valid genotype draws it as a discrete cell and leaves the run alone', async ({ page }) => {
    const before = await step(page);
    await page.getByRole('button', { name: 'Import genotype', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a genotype' });
    await dialog.getByLabel('Or paste it here').fill(DARTS_V2);
    await dialog.getByRole('button', { name: 'Load pasted text' }).click();
    await expect(dialog).toBeHidden();
    const normal = page.locator('svg[data-kind="normal"][data-mode="discrete"]');
    await expect(normal).toBeVisible();
    await expect(normal.locator('path.op')).toHaveCount(8);
    await expect(normal.locator('path.op[data-op="dil_conv_3x3"][data-from="2"][data-to="3"]')).toHaveCount(1);
    await expect(page.locator('svg[data-kind="reduce"] path.op[data-op="max_pool_3x3"]')).toHaveCount(5);
    expect(await step(page)).toBe(before);
    // Back to the live search: the supernet cells come back with the run's state.
    await page.getByRole('button', { name: 'Back to live search' }).click();
    await expect(page.locator('svg[data-kind="normal"][data-mode="search"] path.op')).toHaveCount(15);
  });

  test('importing a JSON file works too', async ({ page }) => {
    await page.getByRole('button', { name: 'Import genotype', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a genotype' });
    const json = JSON.stringify({
      normal: [['skip_connect', 0], ['sep_conv_3x3', 1]],
      normal_concat: [2],
      reduce: [['max_pool_3x3', 0], ['avg_pool_3x3', 1]],
      reduce_concat: [2],
      meta: { note: 'unknown keys are ignored' },
    });
    await dialog.getByLabel('Genotype file').setInputFiles({ name: 'g.json', mimeType: 'application/json', buffer: Buffer.from(json) });
    await expect(page.locator('svg[data-kind="normal"][data-mode="discrete"] path.op')).toHaveCount(2);
  });

  test('malformed, oversized and hostile imports are refused with a message; the run is untouched', async ({ page }) => {
    const root = app(page);
    const before = await step(page);
    await page.getByRole('button', { name: 'Import genotype', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a genotype' });
    const box = dialog.getByLabel('Or paste it here');
    const load = dialog.getByRole('button', { name: 'Load pasted text' });

    await box.fill("Genotype(normal=[('sep_conv_9x9', 0), ('skip_connect', 1)], normal_concat=[2], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1)], reduce_concat=[2])");
    await load.click();
    await expect(dialog.getByRole('alert')).toContainText('sep_conv_9x9');

    await box.fill('{"normal": [["sep_conv_3x3", 0]], "reduce": ');
    await load.click();
    await expect(dialog.getByRole('alert')).toContainText(/malformed JSON/i);

    await box.fill(`{"pad": "${'x'.repeat(70 * 1024)}"}`);
    await load.click();
    await expect(dialog.getByRole('alert')).toContainText('import limit is 64 KB');

    const hostile = '<img src=x onerror="window.__pwned=1">';
    await box.fill(JSON.stringify({ normal: [[hostile, 0], ['skip_connect', 1]], normal_concat: [2], reduce: [['skip_connect', 0], ['skip_connect', 1]], reduce_concat: [2] }));
    await load.click();
    await expect(dialog.getByRole('alert')).toContainText(hostile); // shown as text…
    await expect(page.locator('img')).toHaveCount(0); // …never as HTML
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    // A right-to-left override and control characters in an op name: refused, and named as text.
    const rtl = 'sep_conv\u202E3x3\u0007';
    await box.fill(JSON.stringify({ normal: [[rtl, 0], ['skip_connect', 1]], normal_concat: [2], reduce: [['skip_connect', 0], ['skip_connect', 1]], reduce_concat: [2] }));
    await load.click();
    await expect(dialog.getByRole('alert')).toContainText('normal[0]');
    await expect(dialog.getByRole('alert')).toContainText('"sep_conv\\u202e3x3\\u0007"'); // escaped, not applied

    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.locator('svg[data-mode="discrete"]')).toHaveCount(0);
    await expect(root).toHaveAttribute('data-step', String(before));
    await clickStep(page, 'Step both');
    await expect(root).toHaveAttribute('data-step', String(before + 1));
  });
});

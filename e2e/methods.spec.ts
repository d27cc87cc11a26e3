/**
 * Search methods in the app (issue 12 item 1): `method=` in the link picks the method, the
 * settings form's "Search method" menu shows it with its summary, the header says which method
 * runs, and a method the config does not satisfy (PC-DARTS on the lecture's C=4) is explained at
 * the field to change before it can be applied. Also: the method readout leaves the header's
 * height alone, and Shift+C / `compare=1` open Compare runs.
 */
import type { Page } from '@playwright/test';
import { app, expect, test } from './fixtures';

async function waitReady(page: Page): Promise<void> {
  await expect(app(page)).not.toHaveAttribute('data-backend', '', { timeout: 120_000 });
  await expect(app(page)).toHaveAttribute('data-ready', 'true', { timeout: 120_000 });
  await expect(app(page)).toHaveAttribute('data-state', 'idle');
}

/** Press S (step both) with the focus on the page and wait for the step it adds. */
async function stepKey(page: Page): Promise<void> {
  const before = Number(await app(page).getAttribute('data-step'));
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('s');
  await expect(app(page)).toHaveAttribute('data-step', String(before + 1), { timeout: 120_000 });
  await expect(app(page)).toHaveAttribute('data-state', 'paused');
}

/** The header's height and how far the page could scroll, with the method readout shown or not. */
function headerLayout(page: Page, showMethod: boolean) {
  return page.evaluate((show) => {
    const readout = document.querySelector<HTMLElement>('.readout.method')!;
    readout.style.display = show ? '' : 'none';
    const se = document.scrollingElement!;
    return {
      header: Math.round(document.querySelector('.app-header')!.getBoundingClientRect().height),
      down: se.scrollHeight - innerHeight,
      across: se.scrollWidth - innerWidth,
    };
  }, showMethod);
}

test('method=gdas runs GDAS; switching to PC-DARTS asks for a K that fits C, then rebuilds', async ({ page }) => {
  await page.goto('/#preset=lecture&method=gdas&backend=wasm');
  await waitReady(page);
  const root = app(page);
  const form = page.getByRole('form', { name: 'Hyperparameters' });
  const method = form.getByLabel('Search method');

  // The link's method: in the form (with its summary and paper), in the header, in the URL.
  await expect(method).toHaveValue('gdas');
  await expect(method.locator('option:checked')).toHaveText('GDAS');
  await expect(form.getByTestId('method-help')).toContainText('hard Gumbel-softmax');
  await expect(form.getByTestId('method-help')).toContainText('Dong & Yang, CVPR 2019');
  await expect(page.getByTestId('method-readout')).toHaveText('GDAS');
  await expect(page).toHaveURL(/#method=gdas&backend=wasm$/);
  await expect(page.locator('.notice')).toHaveCount(0);

  // The readout costs no header height and no page scroll (1024×768 to 1920×1080, normal and large text).
  for (const [width, height] of [
    [1024, 768],
    [1280, 720],
    [1440, 900],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const large of [false, true]) {
      await page.evaluate((on) => document.documentElement.classList.toggle('large-text', on), large);
      const without = await headerLayout(page, false);
      const withIt = await headerLayout(page, true);
      expect(withIt, `${width}×${height}${large ? ' large text' : ''}`).toEqual({ ...without, down: 0, across: 0 });
    }
    await page.evaluate(() => document.documentElement.classList.remove('large-text'));
  }

  // Two GDAS steps from the keyboard; the derived genotype is shown.
  await stepKey(page);
  await stepKey(page);
  const json = page.getByTestId('genotype-json');
  await expect(json).not.toContainText('waiting');
  const genotype = JSON.parse((await json.textContent()) ?? '');
  expect(genotype.normal).toHaveLength(8); // 4 nodes × 2 inputs
  expect(genotype.reduce).toHaveLength(8);

  // GDAS is first order: picking the unrolled order is explained at the order and cannot be applied.
  const apply = form.getByRole('button', { name: 'Apply settings' });
  await form.getByRole('radio', { name: '2nd (unrolled)' }).check();
  await expect(form.locator('[data-field-error="order"]')).toContainText('GDAS is first order');
  await expect(apply).toBeDisabled();
  await form.getByRole('radio', { name: '1st (fast)' }).check();
  await expect(form.locator('[data-field-error="order"]')).toHaveCount(0);

  // PC-DARTS on C=4: K=4 does not fit (C must be a multiple of 2·K); the K field says so.
  await expect(form.getByLabel('PC-DARTS K')).toHaveCount(0); // only for PC-DARTS
  await method.selectOption('pc-darts');
  await expect(form.getByTestId('method-help')).toContainText('Xu et al., ICLR 2020');
  const k = form.getByLabel('PC-DARTS K');
  await expect(k).toHaveValue('4');
  await expect(form.locator('[data-field-error="pcK"]')).toContainText('C (4) must be a multiple of 2·pcK (8)');
  await expect(apply).toBeDisabled();
  await k.fill('2');
  await expect(form.locator('[data-field-error="pcK"]')).toHaveCount(0);
  await expect(apply).toBeEnabled();

  // A new method is a new search: confirm, and the run rebuilds from step 0 as PC-DARTS.
  await apply.click();
  await page.getByRole('dialog', { name: 'Rebuild the supernet?' }).getByRole('button', { name: 'Rebuild and restart' }).click();
  await expect(page.getByTestId('method-readout')).toHaveText('PC-DARTS', { timeout: 120_000 });
  await waitReady(page);
  await expect(root).toHaveAttribute('data-step', '0');
  await expect(page).toHaveURL(/#method=pc-darts&pcK=2&backend=wasm$/);
  await stepKey(page);
  await expect(method).toHaveValue('pc-darts');
  await expect(page.getByTestId('genotype-json')).not.toContainText('waiting');

  // Shift+C opens Compare runs, and the link says so while it is open.
  await page.keyboard.press('Shift+C');
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await expect(page).toHaveURL(/&compare=1$/);
  // The link opens it again (here a reload while it is open).
  await page.reload();
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('compare-view')).toHaveCount(0);
  await expect(page).toHaveURL(/#method=pc-darts&pcK=2&backend=wasm$/);
  await expect(page.getByTestId('method-readout')).toHaveText('PC-DARTS', { timeout: 120_000 });
});

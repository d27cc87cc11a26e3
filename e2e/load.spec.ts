import { app, expect, openApp, test } from './fixtures';

test('loads the playground on the default lecture preset, with both cells drawn', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page).toHaveTitle('DARTS Playground');
  await expect(page.getByRole('heading', { name: 'DARTS Playground' })).toBeVisible();
  const root = app(page);
  await expect(root).toHaveAttribute('data-state', 'idle');
  await expect(root).not.toHaveAttribute('data-backend', '', { timeout: 120_000 });
  await expect(root).toHaveAttribute('data-step', '0');

  // lecture: 4 nodes → 14 edges, 8 ops → 112 curves per cell.
  await expect(page.locator('path.op[data-cell="normal"]')).toHaveCount(14 * 8);
  await expect(page.locator('path.op[data-cell="reduce"]')).toHaveCount(14 * 8);
  const first = page.locator('path.op').first();
  for (const attr of ['data-cell', 'data-from', 'data-to', 'data-op']) await expect(first).toHaveAttribute(attr, /.+/);
  await expect(first).toHaveAttribute('data-weight', /^0\.\d{4}$/);
  await expect(page.getByRole('heading', { name: 'Normal cell' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Reduction cell' })).toBeVisible();

  await expect(page.getByTestId('param-count')).toHaveText('72,248'); // the lecture supernet at 1 channel, 4 classes (src/core/presets.test.ts)
  await expect(page.getByTestId('backend-badge')).not.toHaveText('…');
  for (const name of ['Play', 'Step α', 'Step w', 'Step both', 'Reset', 'Export genotype', 'Import genotype', 'Copy as Python', 'Export SVG']) {
    await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeDisabled();
  // The derived genotype is shown as JSON and as the reference repr from the first snapshot on.
  await expect(page.getByTestId('genotype-repr')).toContainText('Genotype(normal=[(');
  expect(errors).toEqual([]);
});

test('sets a Content-Security-Policy and keeps tfjs out of the main bundle', async ({ page }) => {
  await openApp(page);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  // Tightened (issue 11 item 6): no unsafe-eval, no inline scripts or <style> elements, no blob: workers.
  expect(csp).not.toContain("'unsafe-eval'");
  expect(csp).toContain("style-src 'self';");
  expect(csp).toContain("worker-src 'self';");
  const scripts = await page.locator('script[src]').evaluateAll((s) => s.map((e) => (e as HTMLScriptElement).src));
  for (const src of scripts) {
    const body = await (await page.request.get(src)).text();
    expect(body, `${src} must not bundle tfjs`).not.toContain('registerKernel');
  }
});

test('nothing the app does is refused by its Content-Security-Policy', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  await openApp(page, 'preset=simple-convs&size=8&batch=4&C=2&nodes=2&backend=wasm');
  await page.getByRole('button', { name: 'Step both', exact: true }).click();
  await expect(app(page)).toHaveAttribute('data-step', '1', { timeout: 60_000 });
  await page.keyboard.press('?'); // the help overlay typesets formulas with KaTeX
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.locator('path.op[data-cell="normal"]').first().click({ force: true }); // the edge inspector (lazy chunk, KaTeX)
  await page.waitForTimeout(1000); // let the lazy chunks and their styles load
  expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
});

test('URL settings are validated: a bad value is reported and ignored', async ({ page }) => {
  await page.goto('/?preset=simple-convs&C=3&size=8&batch=4');
  await expect(page.getByRole('status').filter({ hasText: 'URL settings were ignored' })).toContainText('C must be even');
  await expect(app(page)).not.toHaveAttribute('data-backend', '', { timeout: 120_000 });
  // simple-convs as is: 2 nodes → 5 edges × 3 ops.
  await expect(page.locator('path.op[data-cell="normal"]')).toHaveCount(15);
});

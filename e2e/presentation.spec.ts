/**
 * Issue 5 item 8, presentation: the layout fits 1024×768 and 1920×1080 without page scrolling,
 * large text for projectors, dark and light themes with readable text, and no animation when the
 * system asks for reduced motion.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { app, clickStep, expect, openApp, test } from './fixtures';

/** Open the default link (what a lecturer opens) and wait for the first snapshot. */
async function openDefault(page: Page): Promise<void> {
  await page.goto('/');
  await expect(app(page)).not.toHaveAttribute('data-backend', '', { timeout: 120_000 });
  await expect(app(page)).toHaveAttribute('data-ready', 'true', { timeout: 120_000 });
}

/** How far the page itself could scroll, down and sideways (0, 0 when everything fits). */
function pageOverflow(page: Page) {
  return page.evaluate(() => {
    const se = document.scrollingElement!;
    return { down: se.scrollHeight - innerHeight, across: se.scrollWidth - innerWidth };
  });
}

/** Relative luminance of a computed CSS colour `rgb(r, g, b)`. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

const background = (page: Page) => page.evaluate(() => getComputedStyle(document.querySelector('.workspace .panel')!).backgroundColor);
const bodyBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.querySelector('.app')!.parentElement!).backgroundColor);

for (const [width, height] of [
  [1024, 768],
  [1920, 1080],
] as const) {
  test(`the page does not scroll at ${width}×${height}, with normal and with large text`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await openDefault(page);
    expect(await pageOverflow(page)).toEqual({ down: 0, across: 0 });
    // Every main region is on screen, none squashed to nothing.
    for (const sel of ['.app-header', '.controls', '.sidebar', '.cells', '.charts', '.app-footer']) {
      const box = (await page.locator(sel).boundingBox())!;
      expect(box.height, sel).toBeGreaterThan(20);
      expect(box.y + box.height, sel).toBeLessThanOrEqual(height + 0.5);
      expect(box.x + box.width, sel).toBeLessThanOrEqual(width + 0.5);
    }
    const cell = (await page.getByTestId('cell-normal').boundingBox())!;
    expect(cell.height).toBeGreaterThan(height > 800 ? 200 : 120);

    await page.getByRole('button', { name: 'Large text' }).click();
    await expect(page.locator('html')).toHaveClass(/large-text/);
    expect(await pageOverflow(page)).toEqual({ down: 0, across: 0 });
  });
}

test('large text scales the UI text and is remembered', async ({ page }) => {
  await openApp(page);
  const toggle = page.getByRole('button', { name: 'Large text' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  const size = () =>
    page.evaluate(() => ({
      root: parseFloat(getComputedStyle(document.documentElement).fontSize),
      heading: parseFloat(getComputedStyle(document.querySelector('.panel h2')!).fontSize),
    }));
  const before = await size();
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const after = await size();
  expect(after.root).toBeGreaterThanOrEqual(before.root * 1.2);
  expect(after.heading).toBeGreaterThanOrEqual(before.heading * 1.2);

  await page.reload();
  await expect(page.getByRole('button', { name: 'Large text' })).toHaveAttribute('aria-pressed', 'true');
  expect((await size()).root).toBe(after.root);
});

test('the theme follows the system, a header choice overrides it, and it is remembered', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openApp(page);
  const html = page.locator('html');
  const theme = page.getByRole('combobox', { name: 'Theme' });
  await expect(theme).toHaveValue('system');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  expect(luminance(await background(page))).toBeLessThan(0.05);
  expect(luminance(await bodyBackground(page))).toBeLessThan(0.05);

  await theme.selectOption('light');
  await expect(html).toHaveAttribute('data-theme', 'light');
  expect(luminance(await background(page))).toBeGreaterThan(0.9);

  await theme.selectOption('dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Theme' })).toHaveValue('dark');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  expect(luminance(await background(page))).toBeLessThan(0.05);

  // The cells redraw in the dark palette: Tol's indigo (1.4:1 on the dark panel) is replaced.
  await page.goto('/?preset=simple-convs&size=8&batch=4&C=2&nodes=2');
  await expect(app(page)).toHaveAttribute('data-ready', 'true', { timeout: 120_000 });
  await expect(page.locator('path.op[data-op="conv_1x1"]').first()).not.toHaveAttribute('stroke', '#332288');
  await theme.selectOption('light');
  await expect(page.locator('path.op[data-op="conv_1x1"]').first()).toHaveAttribute('stroke', '#332288');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`text contrast is at least 4.5:1 in the ${scheme} theme (axe color-contrast)`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openDefault(page);
    await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
    const result = await new AxeBuilder({ page }).withRules(['color-contrast']).analyze();
    const found = result.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`));
    expect(found).toEqual([]);
  });
}

test('with prefers-reduced-motion nothing animates; without it, controls fade', async ({ page }) => {
  const transition = () => page.evaluate(() => getComputedStyle(document.querySelector('.controls button')!).transitionDuration);

  await openApp(page);
  expect(await transition()).not.toBe('0s'); // the check below can fail

  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.reload();
  // Sample while the page starts (spinner, replay) and after a step.
  let most = 0;
  await expect
    .poll(
      async () => {
        most = Math.max(most, await page.evaluate(() => document.getAnimations().length));
        return app(page).getAttribute('data-ready');
      },
      { timeout: 120_000, intervals: [50] },
    )
    .toBe('true');
  await clickStep(page, 'Step both');
  await page.getByRole('button', { name: 'Large text' }).hover();
  most = Math.max(most, await page.evaluate(() => document.getAnimations().length));
  expect(most).toBe(0);
  expect(await transition()).toBe('0s');
});

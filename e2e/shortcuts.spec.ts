/**
 * Every keyboard shortcut of the command registry (src/ui/commands.ts) does its thing, on the
 * tiny config. Keys go to the page (focus on <body>), as a lecturer would press them.
 */
import type { Page } from '@playwright/test';
import { app, archStep, expect, openApp, step, test, TINY } from './fixtures';

async function key(page: Page, k: string) {
  await page.keyboard.press(k);
}

test.describe('keyboard shortcuts', () => {
  test.beforeEach(async ({ page }) => {
    await openApp(page, `${TINY}&backend=wasm`);
  });

  test('Space toggles running / paused', async ({ page }) => {
    const root = app(page);
    await key(page, ' ');
    await expect(root).toHaveAttribute('data-state', 'running');
    await expect.poll(() => step(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
    await key(page, ' ');
    await expect(root).toHaveAttribute('data-state', 'paused');
    await key(page, ' ');
    await expect(root).toHaveAttribute('data-state', 'running');
    await key(page, ' ');
    await expect(root).toHaveAttribute('data-state', 'paused');
  });

  test('S steps both, A steps α only, W steps w only, R resets to step 0', async ({ page }) => {
    const root = app(page);
    await key(page, 's');
    await expect(root).toHaveAttribute('data-step', '1', { timeout: 120_000 });
    await expect(root).toHaveAttribute('data-arch-step', '1');

    await key(page, 'a');
    await expect(root).toHaveAttribute('data-arch-step', '2', { timeout: 120_000 });
    await expect(root).toHaveAttribute('data-step', '1');

    await key(page, 'w');
    await expect(root).toHaveAttribute('data-step', '2', { timeout: 120_000 });
    await expect(root).toHaveAttribute('data-arch-step', '2');
    await expect(root).toHaveAttribute('data-state', 'paused');

    await key(page, 'r');
    await expect(root).toHaveAttribute('data-step', '0', { timeout: 120_000 });
    await expect(root).toHaveAttribute('data-arch-step', '0');
    await expect(root).toHaveAttribute('data-ready', 'true', { timeout: 120_000 });
    // The rebuilt run steps again from 0.
    await key(page, 's');
    await expect(root).toHaveAttribute('data-step', '1', { timeout: 120_000 });
  });

  test('? opens the help overlay listing the commands with their keys; Escape closes it', async ({ page }) => {
    await key(page, '?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toBeVisible();
    const row = (id: string) => dialog.locator(`tr[data-command="${id}"]`);
    await expect(row('step-both')).toContainText('Step both');
    await expect(row('step-both').locator('kbd')).toHaveText('S');
    await expect(row('play').locator('kbd')).toHaveText('Space');
    await expect(row('reset').locator('kbd')).toHaveText('R');
    await expect(row('help').locator('kbd')).toHaveText('?');
    // Focus is inside the modal: a letter typed there does not step the search.
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
    await key(page, 's');
    await key(page, 'Escape');
    await expect(dialog).toBeHidden();
    // Had the 's' leaked, its step would land before this α step's snapshot.
    await key(page, 'a');
    await expect(app(page)).toHaveAttribute('data-arch-step', '1', { timeout: 120_000 });
    expect(await step(page)).toBe(0);
  });

  test('the header Help button opens the same overlay and gets focus back when it closes', async ({ page }) => {
    const help = page.getByRole('button', { name: 'Help', exact: true });
    await expect(help).toHaveAttribute('title', /\(\?\)$/);
    await help.click();
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toBeVisible();
    // Focus stays trapped in the modal: Tab cycles inside it.
    for (let i = 0; i < 3; i++) {
      await key(page, 'Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true);
    }
    await key(page, 'Escape');
    await expect(dialog).toBeHidden();
    await expect(help).toBeFocused();
  });

  test('D toggles the derived-genotype overlay; button tooltips come from the registry', async ({ page }) => {
    const box = page.getByRole('checkbox', { name: 'Show derived genotype' });
    await expect(box).not.toBeChecked();
    await key(page, 'd');
    await expect(box).toBeChecked();
    await key(page, 'd');
    await expect(box).not.toBeChecked();
    await expect(page.getByRole('button', { name: 'Step both', exact: true })).toHaveAttribute('title', /\(S\)$/);
    await expect(page.getByRole('button', { name: 'Play', exact: true })).toHaveAttribute('title', /\(Space\)$/);
    await expect(page.locator('.app-footer .keys kbd').first()).toHaveText('Space');
  });

  test('keys typed into a text field stay in the field', async ({ page }) => {
    const root = app(page);
    const field = page.locator('.sidebar input[type="text"]').first();
    await field.focus();
    await key(page, 's');
    await key(page, 'w');
    await field.blur();
    // A key on the page now does its step; had 's' or 'w' leaked, data-step would be past 0.
    await key(page, 'a');
    await expect(root).toHaveAttribute('data-arch-step', '1', { timeout: 120_000 });
    expect(await step(page)).toBe(0);
    expect(await archStep(page)).toBe(1);
  });
});

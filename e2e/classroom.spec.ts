/**
 * Classroom links and URL state (issue 5 items 1 and 11): the link hides exactly the ticked
 * controls; the URL hash follows the state and survives a reload; garbage values fall back to
 * their defaults with a notice that names them.
 */
import { app, expect, openApp, test, TINY } from './fixtures';
import type { Page } from '@playwright/test';

/** The speed menu (its label wraps the select, so the option texts are part of its name). */
const speed = (page: Page) => page.locator('[data-control="speed"] select');

async function waitReady(page: Page): Promise<void> {
  await expect(app(page)).not.toHaveAttribute('data-backend', '', { timeout: 120_000 });
  await expect(app(page)).toHaveAttribute('data-ready', 'true', { timeout: 120_000 });
}

test('a classroom link hides exactly the ticked controls', async ({ page }) => {
  await openApp(page, TINY);
  await page.getByRole('button', { name: 'Classroom link', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Classroom link' });
  await dialog.getByRole('checkbox', { name: 'Step buttons' }).check();
  await dialog.getByRole('checkbox', { name: 'Candidate ops' }).check();
  const link = await dialog.getByTestId('classroom-link').inputValue();
  expect(link).toMatch(/^http:\/\/localhost:\d+\/#preset=simple-convs&/);
  expect(link).toContain('hide=ops,steps');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);

  // The lecturer's own view keeps everything.
  await expect(page.getByRole('button', { name: 'Step α', exact: true })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Candidate ops' })).toBeVisible();

  const student = await page.context().newPage();
  await student.goto(link);
  await waitReady(student);
  // Gone: not visible, not in the accessibility tree, not focusable (display: none).
  for (const name of ['Step α', 'Step w', 'Step both']) {
    await expect(student.getByRole('button', { name, exact: true })).toHaveCount(0);
    await expect(student.getByRole('button', { name, exact: true, includeHidden: true })).toBeHidden();
  }
  await expect(student.getByRole('group', { name: 'Candidate ops' })).toHaveCount(0);
  await expect(student.getByRole('checkbox', { name: 'conv 3×3', exact: true })).toHaveCount(0);
  // Everything else is still there.
  await expect(student.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  await expect(student.getByRole('button', { name: 'Reset', exact: true })).toBeVisible();
  await expect(student.getByRole('button', { name: 'Export genotype', exact: true })).toBeVisible();
  await expect(student.getByLabel('Batch size')).toBeVisible();
  await expect(student.getByLabel('Channels C')).toHaveValue('2');
  await expect(speed(student)).toBeVisible();
  // Tab never lands on a hidden control.
  const focused: string[] = [];
  await student.locator('body').focus();
  for (let i = 0; i < 40; i++) {
    await student.keyboard.press('Tab');
    focused.push(await student.evaluate(() => document.activeElement?.closest('[data-control]')?.getAttribute('data-control') ?? ''));
  }
  expect(focused).not.toContain('steps');
  expect(focused).not.toContain('ops');
  // The student's URL keeps the hide list (a reload or a bookmark stays a student view).
  await expect(student).toHaveURL(/hide=ops,steps/);
  await student.close();
});

test('the URL hash follows the settings and a reload restores them', async ({ page }) => {
  await openApp(page, TINY);
  // The old query form becomes the canonical hash, without values equal to the preset's (nodes=2).
  await expect(page).toHaveURL(/\/#preset=simple-convs&batch=4&C=2&size=8$/);

  const form = page.getByRole('form', { name: 'Hyperparameters' });
  await form.getByLabel('Weight learning rate').fill('0.05');
  await form.getByLabel('α learning rate').fill('0.01');
  await form.getByRole('button', { name: 'Apply settings' }).click();
  await speed(page).selectOption('1');
  await page.getByRole('checkbox', { name: 'Show derived genotype' }).check();
  await expect(page).toHaveURL(/lr=0\.05/);
  await expect(page).toHaveURL(/archLr=0\.01/);
  await expect(page).toHaveURL(/speed=1(&|$)/);
  await expect(page).toHaveURL(/derived=1/);
  const url = page.url();

  await page.reload();
  await waitReady(page);
  expect(page.url()).toBe(url);
  await expect(form.getByLabel('Weight learning rate')).toHaveValue('0.05');
  await expect(form.getByLabel('α learning rate')).toHaveValue('0.01');
  await expect(form.getByLabel('Channels C')).toHaveValue('2');
  await expect(form.getByLabel('Nodes per cell')).toHaveValue('2');
  await expect(speed(page)).toHaveValue('1');
  await expect(page.getByRole('checkbox', { name: 'Show derived genotype' })).toBeChecked();
  await expect(page.locator('.notice')).toHaveCount(0);
});

test('garbage URL values fall back to their defaults with a notice naming them', async ({ page }) => {
  await page.goto('/#preset=simple-convs&size=8&batch=4&nodes=2&C=3&speed=fast&lr=-1&hide=steps,bogus&colour=red');
  const notice = page.locator('.notice');
  await expect(notice).toContainText('URL settings were ignored');
  for (const named of ['C=3', 'C must be even', 'speed=fast', 'lr=-1', '"bogus"', '"colour"']) await expect(notice).toContainText(named);
  await waitReady(page);
  const form = page.getByRole('form', { name: 'Hyperparameters' });
  await expect(form.getByLabel('Channels C')).toHaveValue('4'); // simple-convs' C
  await expect(form.getByLabel('Weight learning rate')).toHaveValue('0.025');
  await expect(form.getByLabel('Batch size')).toHaveValue('4'); // the good values are kept
  await expect(speed(page)).toHaveValue('0');
  await expect(page.getByRole('button', { name: 'Step α', exact: true })).toHaveCount(0); // the valid part of hide=
  // The URL now says what runs: the bad values are gone.
  await expect(page).toHaveURL(/#preset=simple-convs&batch=4&size=8&hide=steps$/);
});

import { app, clickStep, expect, openApp, test, TINY } from './fixtures';

test('each setting is validated next to its field; structural changes ask before resetting', async ({ page }) => {
  await openApp(page, `${TINY}&backend=wasm`);
  const root = app(page);
  await clickStep(page, 'Step both');
  const form = page.getByRole('form', { name: 'Hyperparameters' });
  const apply = form.getByRole('button', { name: 'Apply settings' });

  const C = form.getByLabel('Channels C');
  await C.fill('3');
  await expect(C).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('[data-field-error="C"]')).toContainText('C must be even');
  await expect(apply).toBeDisabled();

  await form.getByLabel('Weight learning rate').fill('abc');
  await expect(form.locator('[data-field-error="lr"]')).toContainText('lr must be a number');

  await form.getByRole('button', { name: 'Revert' }).click();
  await expect(apply).toBeDisabled();
  await expect(form.locator('[data-field-error]')).toHaveCount(0);

  // Unticking every op is refused (derivation needs an op other than none).
  for (const op of ['conv 1×1', 'conv 3×3', 'conv 5×5']) await form.getByLabel(op, { exact: true }).uncheck();
  await expect(form.locator('[data-field-error="ops"]')).toContainText('at least one op');
  await form.getByRole('button', { name: 'Revert' }).click();

  // A live change (learning rate) applies without a reset.
  await form.getByLabel('Weight learning rate').fill('0.05');
  await apply.click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(root).toHaveAttribute('data-step', '1');
  await clickStep(page, 'Step both');
  await expect(root).toHaveAttribute('data-step', '2');

  // A structural change (C) asks first; "keep" leaves the run as it is.
  await C.fill('4');
  await apply.click();
  const dialog = page.getByRole('dialog', { name: 'Rebuild the supernet?' });
  await dialog.getByRole('button', { name: 'Keep the current run' }).click();
  await expect(root).toHaveAttribute('data-step', '2');
  await apply.click();
  await dialog.getByRole('button', { name: 'Rebuild and restart' }).click();
  await expect(root).toHaveAttribute('data-step', '0');
  await expect(root).toHaveAttribute('data-state', 'idle');
  await expect(root).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('param-count')).not.toHaveText('–');
});

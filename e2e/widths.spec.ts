/**
 * Issue 10 item 2: the cells draw widths relative to uniform by default, the legend says which
 * scale is on, and the toggle switches to absolute widths, which the link keeps.
 */
import { expect, openApp, test } from './fixtures';

test('relative widths by default; the toggle switches to absolute, the legend and the link follow', async ({ page }) => {
  await openApp(page);
  const normal = page.getByTestId('cell-normal');
  const key = page.locator('.darts-width-key');
  await expect(normal).toHaveAttribute('data-widths', 'relative');
  await expect(key).toContainText('multiple of uniform');
  const relative = page.getByRole('button', { name: 'Relative to uniform' });
  const absolute = page.getByRole('button', { name: 'Absolute' });
  await expect(relative).toHaveAttribute('aria-pressed', 'true');

  await absolute.click();
  await expect(normal).toHaveAttribute('data-widths', 'absolute');
  await expect(key).toContainText('linear');
  await expect(absolute).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('widths=absolute');

  await page.reload();
  await expect(page.getByTestId('cell-normal')).toHaveAttribute('data-widths', 'absolute');
});

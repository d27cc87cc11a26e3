/**
 * Accessibility scan (axe-core, WCAG 2.x A/AA rules) of the main page once the run is ready,
 * with the help overlay open, and with the text alternative of the cells open. No `serious` or
 * `critical` violation may remain; lesser ones are printed so they can be worked down.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { clickStep, expect, openApp, test, TINY } from './fixtures';

async function seriousViolations(page: Page, include?: string) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  const minor = violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
  if (minor.length) {
    console.log('axe, minor:', minor.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('; '));
  }
  // Enough to find and fix each node: rule, impact, selector and axe's summary.
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}) ${n.target.join(' ')}: ${n.failureSummary ?? v.help}`));
}

test.describe('accessibility', () => {
  test.beforeEach(async ({ page }) => {
    await openApp(page, `${TINY}&backend=wasm`);
    await clickStep(page, 'Step both');
  });

  test('the main page has no serious or critical axe violations', async ({ page }) => {
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('the help overlay has none either', async ({ page }) => {
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('the cells have a text alternative: a live table of edges and weights', async ({ page }) => {
    await page.getByText('Cell edges as a table').click();
    const normal = page.getByTestId('edge-table-normal');
    await expect(normal).toBeVisible();
    await expect(page.locator('.edge-table-panel')).toContainText('at step 1');
    // tiny config: 2 nodes → 5 edges; 3 ops → 3 weight columns; the weights are the drawn ones.
    await expect(normal.locator('tbody tr')).toHaveCount(5);
    await expect(page.getByTestId('edge-table-reduce').locator('tbody tr')).toHaveCount(5);
    const cell = normal.locator('tbody tr[data-from="0"][data-to="0"] td[data-op="conv_3x3"]');
    const drawn = await page.locator('path.op[data-cell="normal"][data-from="0"][data-to="0"][data-op="conv_3x3"]').getAttribute('data-weight');
    // The table has 3 decimals, the drawing's data-weight 4: equal within rounding.
    const shown = async () => Number(await cell.textContent());
    await expect.poll(shown).toBeCloseTo(Number(drawn), 2);
    // It follows the live data (throttled to a few updates a second): one more step, the new weight.
    await clickStep(page, 'Step both');
    const drawn2 = await page.locator('path.op[data-cell="normal"][data-from="0"][data-to="0"][data-op="conv_3x3"]').getAttribute('data-weight');
    await expect(page.locator('.edge-table-panel')).toContainText('at step 2');
    await expect.poll(async () => Math.abs((await shown()) - Number(drawn2))).toBeLessThanOrEqual(0.0006);
    // Every edge row names a kept op or "–"; 2 per node are kept.
    const kept = await normal.locator('tbody tr td:nth-of-type(2)').allTextContents();
    expect(kept.filter((k) => k !== '–')).toHaveLength(4);
    expect(await seriousViolations(page, '.edge-table-panel')).toEqual([]);
  });

  test('every control is reachable with Tab and has an accessible name', async ({ page }) => {
    // Walk the tab order; at each stop, the accessibility tree's line for the focused element
    // (role "name", as a screen reader would announce it). Controls must have a non-empty name.
    const CONTROL = /^- (button|checkbox|combobox|textbox|radio|link|slider|spinbutton|switch|tab|menuitem)\b/;
    const stops: string[] = [];
    for (let i = 0; i < 150; i++) {
      await page.keyboard.press('Tab');
      const focused = page.locator(':focus');
      if ((await focused.count()) === 0) continue;
      // (YAML quotes a line that contains ': ', as the edges' names do: unquote it.)
      const line = (await focused.ariaSnapshot()).split('\n')[0].replace(/^- '(.*)'$/, '- $1');
      if (CONTROL.test(line)) expect(line, `tab stop ${i} has no accessible name`).toMatch(/^- \w+ "[^"]+"/);
      stops.push(line);
    }
    const all = stops.join('\n');
    for (const name of ['Play', 'Step α', 'Step w', 'Step both', 'Reset', 'Help', 'Export slide PNG', 'Export slide SVG']) {
      expect(all, name).toContain(`- button "${name}"`);
    }
    expect(all).toMatch(/- checkbox "Show derived genotype"/);
    expect(all).toContain('Cell edges as a table');
    // The cell edges are stops too, named by their weights (renderCell's aria-label).
    expect(all).toMatch(/- button "edge c_\{k-2\} to node 0: /);
  });
});

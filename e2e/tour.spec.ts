/**
 * Teaching features (issue 5 items 4–6): the guided tour with its highlights and the relaxation
 * slider, the edge inspector with live α / softmax / gradient, and slow motion.
 */
import type { Page } from '@playwright/test';
import { TOUR_PAGES } from '../src/ui/tour/pages';
import { app, archStep, clickStep, expect, openApp, step, test, TINY } from './fixtures';

const LAST = TOUR_PAGES.length - 1;

/** The page on screen is page i: its title, its counter, and its target is the one highlighted element. */
async function expectTourPage(page: Page, i: number): Promise<void> {
  const p = TOUR_PAGES[i];
  const sheet = page.getByRole('dialog', { name: p.title });
  await expect(sheet).toBeVisible();
  await expect(page.getByTestId('tour-counter')).toContainText(`${i + 1} / ${TOUR_PAGES.length}`);
  const target = page.locator(p.target);
  await expect(target, `target of page ${p.id}: ${p.target}`).toHaveCount(1);
  await expect(target).toHaveAttribute('data-tour-highlight', 'true');
  await expect(page.locator('[data-tour-highlight="true"]')).toHaveCount(1);
  if (p.body.some((b) => b.includes('$'))) await expect(sheet.locator('.katex').first()).toBeVisible();
}

/** Numbers as the inspector prints them (typographic minus, e-notation). */
function num(text: string | null): number {
  return Number((text ?? '').replace(/−/g, '-'));
}

test.describe('teaching', () => {
  test.beforeEach(async ({ page }) => {
    await openApp(page, `${TINY}&backend=wasm`);
  });

  test('tour navigation, with the highlights present', async ({ page }) => {
    await page.locator('.app-header').getByRole('button', { name: /tour/i }).click();
    await expectTourPage(page, 0);

    for (let i = 0; i < TOUR_PAGES.length; i++) {
      await expectTourPage(page, i);
      if (TOUR_PAGES[i].widget === 'relaxation') {
        // The slider blends the ops: equal α → 1/3 each; α_skip = 3 → e³/(e³+2) = 0.909.
        const skip = page.getByTestId('relax-weight-skip_connect');
        const none = page.getByTestId('relax-weight-none');
        await expect(skip).toHaveText('0.333');
        const mixedBefore = await page.getByTestId('relax-mixed').getAttribute('d');
        await page.getByRole('slider', { name: 'α of skip_connect' }).fill('3');
        await expect(skip).toHaveText('0.909');
        await expect(none).toHaveText('0.045');
        expect(await page.getByTestId('relax-mixed').getAttribute('d')).not.toBe(mixedBefore);
      }
      if (TOUR_PAGES[i].link) await expect(page.getByRole('link', { name: TOUR_PAGES[i].link!.label })).toBeVisible();
      if (i < LAST) await page.getByRole('button', { name: 'Next', exact: true }).click();
    }
    await expect(page.getByRole('button', { name: 'Finish' })).toBeVisible();
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await expectTourPage(page, LAST - 1);

    // Keyboard: → and ← page, a dot jumps, Escape closes and removes the highlight.
    await page.keyboard.press('ArrowRight');
    await expectTourPage(page, LAST);
    await page.keyboard.press('ArrowLeft');
    await expectTourPage(page, LAST - 1);
    await page.getByRole('button', { name: `Page 1: ${TOUR_PAGES[0].title}` }).click();
    await expectTourPage(page, 0);
    await page.keyboard.press('Escape');
    await expect(page.locator('.tour-sheet')).toHaveCount(0);
    await expect(page.locator('[data-tour-highlight]')).toHaveCount(0);

    // The command registry's event opens it again (on the page it was left on).
    await page.evaluate(() => window.dispatchEvent(new CustomEvent('darts:command', { detail: 'tour', cancelable: true })));
    await expectTourPage(page, 0);
  });

  test('edge inspector: live α and softmax of the clicked edge, and the gradient after one α step', async ({ page }) => {
    // A real mouse click on the middle of an edge; whichever edge is on top there is the one clicked.
    const hit = await page
      .locator('svg[data-testid="cell-normal"] g.edge path.hit')
      .nth(1)
      .evaluate((p: SVGPathElement) => {
        const q = p.getPointAtLength(p.getTotalLength() / 2);
        const m = p.getScreenCTM()!;
        const x = m.a * q.x + m.c * q.y + m.e;
        const y = m.b * q.x + m.d * q.y + m.f;
        return { x, y, edge: document.elementFromPoint(x, y)?.closest('g.edge')?.getAttribute('data-edge') ?? '' };
      });
    expect(hit.edge).toMatch(/^normal:\d+->\d+$/);
    await page.mouse.click(hit.x, hit.y);

    const panel = page.getByTestId('edge-inspector');
    await expect(panel).toBeVisible();
    const [, from, to] = /^normal:(\d+)->(\d+)$/.exec(hit.edge)!;
    await expect(panel).toHaveAttribute('data-cell', 'normal');
    await expect(panel).toHaveAttribute('data-from', from);
    await expect(panel).toHaveAttribute('data-to', to);
    await expect(panel.locator('.katex').first()).toBeVisible();

    // softmax in the panel = the drawing's data-weight of that edge; α is a number; no gradient yet.
    const ops = await page
      .locator(`path.op[data-cell="normal"][data-from="${from}"][data-to="${to}"]`)
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-op')!, e.getAttribute('data-weight')!] as const));
    expect(ops.length).toBeGreaterThan(1);
    let sum = 0;
    for (const [op, w] of ops) {
      await expect(panel.getByTestId(`inspector-softmax-${op}`)).toHaveText(w);
      sum += Number(w);
      expect(Number.isFinite(num(await panel.getByTestId(`inspector-alpha-${op}`).textContent()))).toBe(true);
      await expect(panel.getByTestId(`inspector-grad-${op}`)).toHaveText('–');
    }
    expect(sum).toBeCloseTo(1, 3);
    await expect(panel.getByTestId('inspector-grad-note')).toContainText('No α step yet');

    // One α step: the gradient of the last α step appears, and its row sums to ~0 (spec §2).
    await clickStep(page, 'Step α');
    const [op0] = ops[0];
    await expect(panel.getByTestId(`inspector-grad-${op0}`)).not.toHaveText('–');
    await expect(panel.getByTestId('inspector-grad-note')).toContainText('Gradient of the last α step');
    const grads = await Promise.all(ops.map(async ([op]) => num(await panel.getByTestId(`inspector-grad-${op}`).textContent())));
    expect(grads.every(Number.isFinite)).toBe(true);
    expect(grads.some((g) => g !== 0)).toBe(true);
    expect(Math.abs(grads.reduce((a, b) => a + b, 0))).toBeLessThan(Math.max(...grads.map(Math.abs)));

    // The select reaches every edge by keyboard; Escape closes.
    await panel.getByRole('combobox', { name: 'Edge' }).selectOption({ index: 0 });
    await expect(panel).toHaveAttribute('data-row', '0');
    await page.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);

    // Keyboard on the drawing: focus an edge of the reduction cell and press Enter.
    await page.locator('svg[data-testid="cell-reduce"] g.edge').first().focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('edge-inspector')).toHaveAttribute('data-cell', 'reduce');
    await page.getByRole('button', { name: 'Close the edge inspector' }).click();
    await expect(page.getByTestId('edge-inspector')).toHaveCount(0);
  });

  test('slow motion: phase 1 is an α step, phase 2 a w step, each highlighted and narrated', async ({ page }) => {
    const root = app(page);
    const a0 = await archStep(page);
    const s0 = await step(page);
    await page.getByRole('button', { name: 'Slow motion', exact: true }).click();
    const panel = page.getByRole('region', { name: /Slow motion/ });
    await expect(panel).toBeVisible();
    const narration = page.getByTestId('slowmo-narration');

    await panel.getByRole('button', { name: /Run phase 1/ }).click();
    await expect(root).toHaveAttribute('data-arch-step', String(a0 + 1), { timeout: 120_000 });
    await expect(narration).toContainText('Phase 1 done');
    await expect(page.locator('g.edge[data-slowmo-hot="true"]').first()).toBeAttached();
    expect(await step(page)).toBe(s0);

    await panel.getByRole('button', { name: /Run phase 2/ }).click();
    await expect(root).toHaveAttribute('data-step', String(s0 + 1), { timeout: 120_000 });
    await expect(narration).toContainText('Phase 2 done');
    await expect(page.getByTestId('chart-loss')).toHaveAttribute('data-slowmo-hot', 'true');
    await expect(page.locator('g.edge[data-slowmo-hot]')).toHaveCount(0);
    expect(await archStep(page)).toBe(a0 + 1);
    await expect(panel.getByRole('button', { name: /Run phase 1/ })).toBeVisible();

    await panel.getByRole('button', { name: 'Close slow motion' }).click();
    await expect(panel).toHaveCount(0);
    await expect(page.locator('[data-slowmo-hot]')).toHaveCount(0);
  });
});

/**
 * "Compare runs" (issue 12 item 4): pin the run on screen (here the lecture replay the app opens
 * with), load another built-in replay (skip-collapse) as run B, and see both runs' cells, a shared
 * step scrubber, the overlaid trajectories and the genotype diff with a nonzero count.
 */
import { app, expect, test } from './fixtures';

test('pin the lecture replay, load skip-collapse as B: both cells and the genotype diff', async ({ page }) => {
  await page.goto('/'); // the default link: the lecture replay plays
  const root = app(page);
  await expect(root).toHaveAttribute('data-replay', 'playing', { timeout: 15_000 });
  // 76 frames at 4 frames/s: pin the whole recorded run once it has ended.
  await expect(root).toHaveAttribute('data-replay', 'ended', { timeout: 60_000 });

  await page.getByRole('button', { name: 'Pin this run', exact: true }).click();
  await expect(page.getByTestId('compare-kept')).toContainText('1 run kept');

  await page.getByRole('button', { name: 'Compare runs…', exact: true }).click();
  const view = page.getByTestId('compare-view');
  await expect(view).toBeVisible();
  // The pin is run B at first; run A is the run on screen (the same replay).
  await expect(page.getByTestId('compare-pick-b')).toHaveValue('pin-1');
  await expect(page.getByTestId('compare-diff-count')).toHaveAttribute('data-differ', '0');

  // Run B: the skip-collapse replay; run A: the pinned lecture run.
  await page.getByTestId('compare-replay-choice').selectOption('skip-collapse');
  await view.getByRole('button', { name: 'Load as B', exact: true }).click();
  await expect(page.getByTestId('compare-message')).toContainText('Loaded Replay: skip-collapse');
  await page.getByTestId('compare-pick-a').selectOption('pin-1');

  // Both cells of both runs, drawn by the cell renderer: lecture 14 edges × 8 ops, skip-collapse × 3 ops.
  for (const cell of ['normal', 'reduce']) {
    await expect(page.locator(`[data-testid=compare-cell-a-${cell}] path.op`)).toHaveCount(14 * 8);
    await expect(page.locator(`[data-testid=compare-cell-b-${cell}] path.op`)).toHaveCount(14 * 3);
  }
  // Labels: method, seed and the step shown (each run's latest frame).
  await expect(page.getByTestId('compare-label-a')).toContainText('DARTS · seed 2 · step 300');
  await expect(page.getByTestId('compare-label-b')).toContainText('DARTS · seed 2 · step 300');

  // The genotype diff: a nonzero count, and as many rows marked in words as it counts.
  const count = page.getByTestId('compare-diff-count');
  await expect(count).toContainText(/of 16 choices differs?/);
  const differ = Number(await count.getAttribute('data-differ'));
  expect(differ).toBeGreaterThan(0);
  expect(differ).toBeLessThanOrEqual(16);
  await expect(page.locator('[data-testid=compare-diff-table] tbody tr')).toHaveCount(16);
  await expect(page.locator('[data-testid=compare-diff-table] tbody tr.differs')).toHaveCount(differ);
  await expect(page.locator('[data-testid=compare-diff-table] tbody tr.differs').first()).toContainText(/differ|only in one run/);

  // Trajectories of both runs on one chart (2 cells × 2 runs in the entropy view).
  await expect(page.getByTestId('compare-chart')).toHaveAttribute('data-lines', '4');

  // The shared scrubber: step 0 shows both runs' first frames; Latest goes back to the end.
  const slider = page.getByTestId('compare-step');
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('compare-label-a')).toHaveAttribute('data-step', '0');
  await expect(page.getByTestId('compare-label-b')).toHaveAttribute('data-step', '0');
  await view.getByRole('button', { name: 'Latest', exact: true }).click();
  await expect(page.getByTestId('compare-label-a')).toHaveAttribute('data-step', '300');

  // Escape closes the view; the app's own cells are untouched.
  await page.keyboard.press('Escape');
  await expect(view).toHaveCount(0);
  await expect(page.locator('[data-testid=cell-normal] path.op')).toHaveCount(14 * 8);
});

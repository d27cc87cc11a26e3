/**
 * Instant replays (issue 5 item 3): opening a preset plays its recorded run (public/replays/)
 * into the cells at once, labelled as a replay, while the live run is built and stays idle at
 * step 0; "Go live" hands the view to the live run, which then computes.
 */
import { app, expect, step, test, TINY, weights } from './fixtures';

test('a replay plays with the worker idle; Go live makes the live run advance', async ({ page }) => {
  const t0 = Date.now();
  await page.goto('/'); // the default link: lecture
  const root = app(page);
  await expect(root).toHaveAttribute('data-replay', 'playing', { timeout: 15_000 });
  const playingMs = Date.now() - t0;
  await expect(page.getByTestId('replay-banner')).toContainText('Replay of a recorded run');

  // α moves on screen: the drawn weights change between frames of the replay…
  await expect(page.locator('path.op[data-cell="normal"]')).toHaveCount(14 * 8);
  const first = JSON.stringify(await weights(page));
  await expect.poll(async () => JSON.stringify(await weights(page)), { timeout: 15_000 }).not.toBe(first);
  const marks = await page.evaluate(() =>
    Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('replay-')).map((m) => [m.name, Math.round(m.startTime)])),
  );
  console.log(`replay: playing ${playingMs} ms, α seen moving ${Date.now() - t0} ms after navigation; in-page marks ${JSON.stringify(marks)}`);
  expect(marks['replay-playing']).toBeGreaterThan(0);
  // …while the live run has computed nothing: step 0, idle.
  await expect(root).toHaveAttribute('data-step', '0');
  await expect(root).toHaveAttribute('data-state', 'idle');
  await expect.poll(async () => Number(await page.getByTestId('replay-step').textContent()), { timeout: 15_000 }).toBeGreaterThan(1);

  // The live supernet gets built meanwhile; the worker still does not search.
  await expect(root).not.toHaveAttribute('data-backend', '', { timeout: 120_000 });
  await expect(root).toHaveAttribute('data-ready', 'true', { timeout: 120_000 });
  await expect(root).toHaveAttribute('data-state', 'idle');
  await expect(root).toHaveAttribute('data-step', '0');
  await expect(root).not.toHaveAttribute('data-replay', 'off');

  await page.getByRole('button', { name: 'Go live', exact: true }).click();
  await expect(root).toHaveAttribute('data-replay', 'off');
  await expect(page.getByTestId('replay-banner')).toHaveCount(0);
  await expect(root).toHaveAttribute('data-state', 'running');
  await expect.poll(() => step(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
});

test('Play goes live too, and a changed config or autoplay=1 opens without a replay', async ({ page }) => {
  await page.goto('/?preset=simple-convs&backend=wasm');
  const root = app(page);
  await expect(root).toHaveAttribute('data-replay', 'playing', { timeout: 15_000 });
  await expect(root).toHaveAttribute('data-ready', 'true', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(root).toHaveAttribute('data-replay', 'off');
  await expect.poll(() => step(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);

  // URL overrides make another run than the recorded one: no replay.
  await page.goto(`/?${TINY}&backend=wasm`);
  await expect(root).toHaveAttribute('data-ready', 'true', { timeout: 120_000 });
  await expect(root).toHaveAttribute('data-replay', 'off');

  await page.goto('/?preset=simple-convs&backend=wasm&autoplay=1');
  await expect.poll(() => step(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
  await expect(root).toHaveAttribute('data-replay', 'off');
});

test('a replay ends on its derive moment: the top-2 overlay is drawn over the last frame', async ({ page }) => {
  await page.goto('/?preset=tiny-mnist'); // a 31-frame replay: about 8 s at 4 frames/s
  const root = app(page);
  await expect(root).toHaveAttribute('data-replay', 'ended', { timeout: 30_000 });
  await expect(page.getByTestId('replay-banner')).toContainText('the derived cell');
  // 4 intermediate nodes × 2 kept inputs, each labelled with its op, in both cells.
  for (const cell of ['normal', 'reduce']) {
    await expect(page.locator(`[data-testid=cell-${cell}] text.op-label:not([display="none"])`)).toHaveCount(8);
  }
  // Replaying again takes the overlay away until the new end.
  await page.getByRole('button', { name: 'Replay again', exact: true }).click();
  await expect(page.locator('[data-testid=cell-normal] text.op-label:not([display="none"])')).toHaveCount(0);
});

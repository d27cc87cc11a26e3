/**
 * History (issue 5 item 7): the time slider scrubs through the run's snapshots and the cells
 * redraw for the chosen step; "Latest" follows the run again. Checked on a live run and on a replay.
 */
import { app, clickStep, expect, openApp, test, weights } from './fixtures';

test('the history slider changes the drawn weights (live run)', async ({ page }) => {
  await openApp(page, 'preset=simple-convs&size=8&batch=4&C=2&nodes=2&backend=wasm');
  const slider = page.getByTestId('history-slider');
  for (let i = 0; i < 3; i++) await clickStep(page, 'Step both');
  const latest = await weights(page);
  // snapshots: the built supernet (step 0) and one per step
  await expect(slider).toHaveAttribute('max', '3');
  await expect(page.getByRole('button', { name: 'Latest', exact: true })).toBeDisabled();

  await slider.fill('0');
  await expect(page.getByTestId('history-step')).toHaveText('step 0 of 3');
  const atStart = await weights(page);
  expect(atStart).not.toEqual(latest);
  // step 0 is the freshly initialised α: uniform over the 3 ops to about 2 decimals
  expect(Object.values(atStart).every((w) => Math.abs(Number(w) - 1 / 3) < 5e-3)).toBe(true);
  // the live run is untouched by scrubbing
  await expect(app(page)).toHaveAttribute('data-step', '3');

  await slider.fill('2');
  await expect(page.getByTestId('history-step')).toHaveText('step 2 of 3');
  const atTwo = await weights(page);
  expect(atTwo).not.toEqual(atStart);
  expect(atTwo).not.toEqual(latest);

  await page.getByRole('button', { name: 'Latest', exact: true }).click();
  await expect(page.getByTestId('history-step')).toHaveText('step 3 (latest)');
  expect(await weights(page)).toEqual(latest);

  // ▶ plays the history back from the start and ends following the latest again.
  await slider.fill('0');
  await page.getByRole('combobox', { name: 'Playback speed' }).selectOption('4');
  await page.getByRole('button', { name: 'Play back the history', exact: true }).click();
  await expect(page.getByTestId('history-step')).toHaveText('step 3 (latest)', { timeout: 10_000 });
  expect(await weights(page)).toEqual(latest);

  // A new step while scrubbed: the view follows the live run again.
  await slider.fill('1');
  await clickStep(page, 'Step both');
  await expect(page.getByTestId('history-step')).toHaveText('step 4 (latest)');
});

test('the history slider scrubs a replay, pausing it', async ({ page }) => {
  await page.goto('/?preset=simple-convs&backend=wasm');
  const root = app(page);
  await expect(root).toHaveAttribute('data-replay', 'playing', { timeout: 15_000 });
  const slider = page.getByTestId('history-slider');
  await expect.poll(async () => Number(await slider.getAttribute('max')), { timeout: 15_000 }).toBeGreaterThanOrEqual(6);

  await slider.fill('0');
  await expect(root).toHaveAttribute('data-replay', 'paused');
  const atStart = await weights(page);
  await slider.fill('6');
  await expect(page.getByTestId('history-step')).toContainText('step 24 of'); // one frame every 4 steps (scripts/make-replays.mjs)
  const atSix = await weights(page);
  expect(atSix).not.toEqual(atStart);
  await expect(root).toHaveAttribute('data-step', '0'); // the live run computed nothing

  await page.getByRole('button', { name: 'Latest', exact: true }).click();
  await expect(root).not.toHaveAttribute('data-replay', 'paused');
});

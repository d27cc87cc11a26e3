import { app, expect, openApp, step, test, TINY } from './fixtures';

/**
 * While the worker searches, the main thread must stay smooth, measured over 10 s (the
 * measurement window is the test, not a synchronisation sleep):
 *  - requestAnimationFrame at ≥ 55 fps;
 *  - at most one long task (over 50 ms), and none over 150 ms.
 * Before the layout fix (the workspace was sized from its content, so every snapshot re-laid out
 * both cell drawings), windows had up to 4 long tasks of 50–77 ms. Now a window normally has
 * none; but on this 2-core machine, with the worker holding one core, the OS now and then
 * deschedules the main thread in the middle of a 30–40 ms frame (one clean-clone CI run saw a
 * single 102 ms task): one hitch in 10 s is tolerated, a pattern of them is not.
 * The longest animation frames (long-animation-frame entries, with their scripts) are in the
 * failure message, so a failure says where the time went.
 */
// Tracing records screencast frames and DOM snapshots on the main thread, which is what we measure.
test.use({ trace: 'off' });

test('the page stays responsive while searching', async ({ page }) => {
  await openApp(page, `${TINY}&backend=wasm`);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(app(page)).toHaveAttribute('data-state', 'running');
  // Warm up first (JIT, first chart draws), so the window measures the steady state.
  await expect.poll(() => step(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(5);
  const before = await step(page);

  const m = await page.evaluate(
    () =>
      new Promise<{ fps: number; worstGapMs: number; longTasks: number[]; worstFrames: unknown[] }>((resolve) => {
        const longTasks: number[] = [];
        const obs = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) longTasks.push(Math.round(e.duration));
        });
        obs.observe({ type: 'longtask', buffered: false });
        type Loaf = PerformanceEntry & { blockingDuration?: number; renderStart?: number; styleAndLayoutStart?: number; scripts?: { invoker?: string; sourceFunctionName?: string; duration: number }[] };
        const longFrames: Loaf[] = [];
        const loaf = new PerformanceObserver((list) => longFrames.push(...(list.getEntries() as Loaf[])));
        try {
          loaf.observe({ type: 'long-animation-frame', buffered: false });
        } catch {
          // not in this browser
        }
        const WINDOW = 10_000;
        let frames = 0;
        let worst = 0;
        let last = 0;
        let start = 0;
        const tick = (t: number) => {
          if (start === 0) start = t;
          else worst = Math.max(worst, t - last);
          last = t;
          frames++;
          if (t - start < WINDOW) requestAnimationFrame(tick);
          else {
            obs.disconnect();
            loaf.disconnect();
            const worstFrames = longFrames
              .sort((a, b) => b.duration - a.duration)
              .slice(0, 3)
              .map((f) => ({
                ms: Math.round(f.duration),
                renderMs: f.renderStart ? Math.round(f.startTime + f.duration - f.renderStart) : null,
                layoutMs: f.styleAndLayoutStart ? Math.round(f.startTime + f.duration - f.styleAndLayoutStart) : null,
                scripts: (f.scripts ?? []).map((x) => `${x.invoker ?? ''} ${x.sourceFunctionName ?? ''} ${Math.round(x.duration)}ms`.trim()),
              }));
            resolve({ fps: ((frames - 1) * 1000) / (t - start), worstGapMs: Math.round(worst), longTasks, worstFrames });
          }
        };
        requestAnimationFrame(tick);
      }),
  );
  const after = await step(page);
  const summary = JSON.stringify({ fps: Math.round(m.fps * 10) / 10, worstGapMs: m.worstGapMs, longTasks: m.longTasks, steps: after - before });
  console.log(`responsiveness: ${summary}`);
  test.info().annotations.push({ type: 'responsiveness', description: JSON.stringify({ ...m, steps: after - before }) });
  expect(after, 'the search kept running during the measurement').toBeGreaterThan(before);
  expect(m.fps).toBeGreaterThanOrEqual(55);
  const why = `long tasks ${JSON.stringify(m.longTasks)}; longest frames ${JSON.stringify(m.worstFrames)}`;
  expect(m.longTasks.filter((d) => d > 50).length, `long tasks over 50 ms: ${why}`).toBeLessThanOrEqual(1);
  expect(Math.max(0, ...m.longTasks), `the longest task (ms): ${why}`).toBeLessThanOrEqual(150);
});

/**
 * Shared helpers for the app's browser tests. Every test gets `offOrigin`: the list of requests
 * that tried to leave the page's origin (they are also aborted). The fixture fails the test if
 * any happened, so "no request leaves the origin" is checked everywhere, not only in one test.
 */
import { expect, test as base, type Page } from '@playwright/test';

/** The smallest useful search: 2-node cells over 3 convs, C=2, 8×8 inputs, batch 4 (~0.3 s/step on wasm here). */
export const TINY = 'preset=simple-convs&size=8&batch=4&C=2&nodes=2';

export const test = base.extend<{ offOrigin: string[] }>({
  offOrigin: [
    async ({ page, baseURL }, use) => {
      const origin = new URL(baseURL ?? 'http://localhost:4173').origin;
      const off: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (new URL(url).origin !== origin) {
          off.push(url);
          return route.abort();
        }
        return route.continue();
      });
      // Workers' requests (wasm binaries) go through the context: watch those too.
      page.context().on('request', (req) => {
        const url = req.url();
        if (/^(blob|data):/.test(url)) return;
        if (new URL(url).origin !== origin) off.push(url);
      });
      await use(off);
      expect(off, 'requests that left the origin').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Open the app and wait until the worker reports a built supernet. */
export async function openApp(page: Page, query = TINY): Promise<void> {
  await page.goto(`/?${query}`);
  await expect(app(page)).not.toHaveAttribute('data-backend', '', { timeout: 120_000 });
  await expect(app(page)).toHaveAttribute('data-state', 'idle');
  await expect(app(page)).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('path.op[data-cell="normal"]').first()).toBeAttached();
}

export function app(page: Page) {
  return page.locator('.app');
}

export async function step(page: Page): Promise<number> {
  return Number(await app(page).getAttribute('data-step'));
}

export async function archStep(page: Page): Promise<number> {
  return Number(await app(page).getAttribute('data-arch-step'));
}

/** Every op curve's data-weight, keyed by cell, edge and op. */
export async function weights(page: Page): Promise<Record<string, string>> {
  return page.locator('path.op').evaluateAll((els) =>
    Object.fromEntries(
      els.map((e) => [
        `${e.getAttribute('data-cell')}:${e.getAttribute('data-from')}->${e.getAttribute('data-to')}:${e.getAttribute('data-op')}`,
        e.getAttribute('data-weight') ?? '',
      ]),
    ),
  );
}

/** Click a step button and wait for the snapshot that follows it. */
export async function clickStep(page: Page, name: 'Step α' | 'Step w' | 'Step both'): Promise<void> {
  const before = { step: await step(page), arch: await archStep(page) };
  await page.getByRole('button', { name, exact: true }).click();
  const a = app(page);
  if (name !== 'Step w') await expect(a).toHaveAttribute('data-arch-step', String(before.arch + 1), { timeout: 120_000 });
  if (name !== 'Step α') await expect(a).toHaveAttribute('data-step', String(before.step + 1), { timeout: 120_000 });
  await expect(a).toHaveAttribute('data-state', 'paused');
}

/** The step of the run in the autosave slot (IndexedDB, src/worker/autosave.ts), or -1 when there is none. */
export function autosavedStep(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const req = indexedDB.open('darts-playground');
        req.onsuccess = () => {
          if (!req.result.objectStoreNames.contains('autosave')) return resolve(-1);
          const get = req.result.transaction('autosave').objectStore('autosave').get('run');
          get.onsuccess = () => resolve((get.result as { step?: number } | undefined)?.step ?? -1);
          get.onerror = () => resolve(-1);
        };
        req.onerror = () => resolve(-1);
      }),
  );
}

/**
 * Slide export: both derived cells in paper style on a 1920×1080 PNG and SVG (issue 5 item 8).
 */
import { readFile } from 'node:fs/promises';
import { clickStep, expect, openApp, test, TINY } from './fixtures';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

test.describe('slide export', () => {
  test.beforeEach(async ({ page }) => {
    await openApp(page, `${TINY}&backend=wasm`);
    await clickStep(page, 'Step both');
  });

  test('Export slide PNG downloads a 1920×1080 PNG with both cells drawn on it', async ({ page }) => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export slide PNG', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('darts-cells-slide-step1.png');
    const png = await readFile((await download.path())!);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    // The IHDR chunk comes first: width and height are big-endian at bytes 16 and 20.
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1920, 1080]);

    // Not a blank canvas: dark pixels (edges, text) in both halves of the slide.
    const dark = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const count = (x0: number) => {
        const d = ctx.getImageData(x0, 0, c.width / 2, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 200) n++;
        return n;
      };
      return [count(0), count(c.width / 2)];
    }, png.toString('base64'));
    expect(dark[0]).toBeGreaterThan(500);
    expect(dark[1]).toBeGreaterThan(500);
    await expect(page.getByRole('status').filter({ hasText: 'darts-cells-slide-step1.png' })).toBeVisible();
  });

  test('Shift+P downloads the same slide as a 1920×1080 SVG in paper style', async ({ page }) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Shift+P')]);
    expect(download.suggestedFilename()).toBe('darts-cells-slide-step1.svg');
    const svg = await readFile((await download.path())!, 'utf8');
    const info = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const root = doc.documentElement;
      return {
        error: !!doc.querySelector('parsererror'),
        size: [root.getAttribute('width'), root.getAttribute('height')],
        kinds: [...root.querySelectorAll(':scope > svg')].map((s) => s.getAttribute('data-kind')),
        // tiny config: 2 nodes → 4 derived (op, input) pairs per cell, drawn black
        ops: [...root.querySelectorAll(':scope > svg')].map((s) => s.querySelectorAll('path.op').length),
        colours: [...new Set([...root.querySelectorAll('path.op')].map((p) => p.getAttribute('stroke')))],
        titles: [...root.querySelectorAll('text.slide-title')].map((t) => t.textContent),
      };
    }, svg);
    expect(info).toEqual({
      error: false,
      size: ['1920', '1080'],
      kinds: ['normal', 'reduce'],
      ops: [4, 4],
      colours: ['#000000'],
      titles: ['Normal cell', 'Reduction cell'],
    });
  });
});

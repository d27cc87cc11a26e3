/**
 * Browser tests (e2e/*.spec.ts) in real Chromium against the production build served by
 * `vite preview`. `npm run test:e2e` (scripts/e2e.mjs) builds first, then runs this.
 *
 * Chromium: $CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own download
 * (`npx playwright install chromium`, which needs the internet; CI installs Debian chromium
 * instead, see .ci/run). Headless WebGL and WebGPU run on SwiftShader here (a CPU rasteriser),
 * so timeouts are generous and one worker keeps the 2-core machines' frame-rate checks honest.
 */
import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

// E2E_PORT / E2E_OUT_DIR let several checkouts or engineers run isolated builds at once.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const OUT_DIR = process.env.E2E_OUT_DIR ?? 'dist';
const BASE_URL = `http://localhost:${PORT}`;

function chromiumPath(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return undefined; // Playwright's bundled Chromium
}

const CI = Boolean(process.env.CI);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  forbidOnly: CI,
  retries: 0,
  // The responsiveness test measures main-thread frame rate; parallel browsers on a 2-core box
  // would measure each other. Override with PW_WORKERS=2 for a quicker local run.
  workers: Number(process.env.PW_WORKERS ?? 1),
  reporter: 'list',
  // SwiftShader WebGL/WebGPU steps take seconds each.
  timeout: 180_000,
  expect: { timeout: 30_000 },
  outputDir: process.env.E2E_OUT_DIR ? `${process.env.E2E_OUT_DIR}-results` : 'test-results',
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    // The app's service worker precaches ~11 MB in the background after each fresh page load;
    // only e2e/offline.spec.ts needs it (it opts back in), the others would just pay for it.
    serviceWorkers: 'block',
    screenshot: 'only-on-failure',
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: chromiumPath(),
          args: [
            '--enable-unsafe-webgpu', // WebGPU (SwiftShader adapter); without it requestAdapter() is null
            '--disable-background-networking',
            '--disable-component-update',
            '--no-first-run',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort --outDir ${OUT_DIR}`,
    url: BASE_URL,
    reuseExistingServer: !CI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});

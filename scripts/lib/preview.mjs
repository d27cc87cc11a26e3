/**
 * What the browser scripts (decision bench, eval bench, soak) share: `vite preview` of dist/ on a
 * port, stopped when the script exits, and headless Chromium found like the e2e config finds it
 * ($CHROMIUM_PATH, then Debian's /usr/bin/chromium, then Playwright's own).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from '@playwright/test';

/** Serve dist/ at http://localhost:<port>; resolves with the base URL once it answers. */
export async function startPreview(port, log = (m) => process.stderr.write(`${m}\n`)) {
  if (!existsSync('dist/index.html')) {
    log('no dist/: run npm run build first');
    process.exit(1);
  }
  const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
  process.on('exit', () => {
    try {
      process.kill(-server.pid);
    } catch {}
  });
  const base = `http://localhost:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(base)).ok) return base;
    } catch {}
    await sleep(200);
  }
  log(`vite preview did not answer on port ${port}`);
  process.exit(1);
}

/** Headless Chromium, with WebGPU allowed. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
    args: ['--enable-unsafe-webgpu'],
  });
}

#!/usr/bin/env node
/**
 * `npm run test:e2e`: build the app (`vite build`), then run the Playwright tests against
 * `vite preview` (playwright.config.ts starts it). Extra arguments go to `playwright test`,
 * e.g. `npm run test:e2e -- e2e/load.spec.ts --headed`. Exits with Playwright's exit code.
 *
 * E2E_SKIP_BUILD=1 reuses an existing dist/ (quicker when only the tests changed).
 * E2E_OUT_DIR=/tmp/x E2E_PORT=4180 builds into and serves another folder and port, so two runs
 * (two engineers, two checkouts) do not overwrite each other's build.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit' });
    const forward = (sig) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (e) => {
      console.error(`e2e: cannot start ${cmd}: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? 128 + (constants.signals[signal] ?? 0));
    });
  });
}

const args = process.argv.slice(2);

if (!process.env.E2E_SKIP_BUILD) {
  console.error('e2e: vite build');
  const built = await run('npx', ['vite', 'build', ...(process.env.E2E_OUT_DIR ? ['--outDir', process.env.E2E_OUT_DIR, '--emptyOutDir'] : [])]);
  if (built !== 0) {
    console.error(`e2e: vite build failed (exit ${built})`);
    process.exit(built);
  }
}

console.error(`e2e: playwright test ${args.join(' ')}`.trimEnd());
process.exit(await run('npx', ['playwright', 'test', ...args]));

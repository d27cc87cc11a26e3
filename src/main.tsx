/**
 * Entry point of the main thread. It never imports tfjs: the search runs in a module worker
 * (src/worker/search.worker.ts), so the main bundle stays small and the page stays responsive.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { Controller } from './ui/controller';
import { parseUrlState } from './ui/urlState';
import { startUrlSync } from './ui/urlSync';
import { startReplayFor } from './ui/replay';
import './ui/app.css';
import './ui/theme.css';
import { startAppearance } from './ui/appearance';
import { registerServiceWorker } from './pwa/register';

// The remembered theme and text size, before the first paint (a URL's own values may override them).
startAppearance();
const url = parseUrlState(window.location.search, window.location.hash);
const controller = new Controller(url.config);
controller.setInitialDataset(url.dataset);
// The link's view options into the stores, then the URL hash follows the state (src/ui/urlSync.ts).
startUrlSync(controller, url);
controller.start(url.backend, url.autoplay);
// A hook for the crash-recovery e2e test (e2e/crash.spec.ts): makes the worker throw outside a step.
(window as unknown as { __dartsTest?: object }).__dartsTest = { crashWorker: () => controller.crashWorkerForTest() };
// The preset's recorded run plays at once while the worker builds the live one (issue 5 item 3).
// A teaching task is recorded under its id (task-long-range), the built-in sets under their name.
if (!url.autoplay) void startReplayFor(url.preset, url.config, url.dataset.name === 'task' ? url.dataset.id : url.dataset.name);

// The offline service worker, in builds only (src/pwa).
if (import.meta.env.PROD) registerServiceWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App controller={controller} notices={url.notices} />
  </StrictMode>,
);

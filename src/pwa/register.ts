/**
 * Registers the offline service worker (src/pwa/sw.ts) and tracks what the status line says.
 *
 * Production builds only: `main.tsx` calls this under `import.meta.env.PROD`, because the dev
 * server has no sw.js (precachePlugin is build-only) and a worker caching dev modules would only
 * get in the way.
 *
 * States: 'installing' (first visit: downloading the app and datasets), 'ready' (everything is
 * cached, the app works offline), 'update' (a newer build is installed and waits: the status
 * line offers a reload), 'error', and 'unsupported' (no service workers, e.g. a private window
 * in some browsers; the app still works online).
 */
import { createStore } from '../ui/createStore';

export type OfflineState = 'off' | 'unsupported' | 'installing' | 'ready' | 'update' | 'error';

export interface OfflineStatus {
  state: OfflineState;
  /** False while the browser reports no network. */
  online: boolean;
  /** Why registration failed ('error'). */
  detail?: string;
}

export const offline = createStore<OfflineStatus>({ state: 'off', online: true });

/**
 * = swLogic's MSG_SKIP_WAITING (register.test.ts pins it). Not imported: a module shared by the
 * page and sw.ts would become a shared chunk, and sw.js must stay one classic script.
 */
export const SKIP_WAITING_MESSAGE = 'darts-skip-waiting';

let registration: ServiceWorkerRegistration | null = null;
let reloadOnTakeover = false;

function setState(state: OfflineState, detail?: string): void {
  offline.set((s) => ({ ...s, state, detail }));
}

/** Follow an installing worker until it is installed: a new build waits, a first one activates. */
function track(worker: ServiceWorker | null, hadController: boolean): void {
  if (!worker) return;
  const onChange = () => {
    if (worker.state === 'installed') setState(hadController ? 'update' : 'installing');
    else if (worker.state === 'activated' && !hadController) setState('ready');
    else if (worker.state === 'redundant' && offline.get().state === 'installing') setState('error', 'the offline copy could not be saved; it is retried on the next visit');
  };
  worker.addEventListener('statechange', onChange);
  onChange();
}

/**
 * Whether the network answers: navigator.onLine can say true while no request gets through (an
 * offline reload in Chromium keeps it true), so a tiny uncached request decides. The service
 * worker does not have the URL (unique query), so it goes to the network.
 */
async function probeNetwork(win: Window, base: string): Promise<boolean> {
  if (!win.navigator.onLine) return false;
  try {
    const res = await win.fetch(`${base}manifest.webmanifest?network-check=${Date.now()}`, { cache: 'no-store', method: 'HEAD' });
    return res.ok || res.status < 500;
  } catch {
    return false;
  }
}

export function registerServiceWorker(win: Window = window): void {
  const nav = win.navigator;
  const recheck = () => void probeNetwork(win, import.meta.env.BASE_URL).then((online) => offline.set((s) => ({ ...s, online })));
  offline.set((s) => ({ ...s, online: nav.onLine }));
  win.addEventListener('online', recheck);
  win.addEventListener('offline', () => offline.set((s) => ({ ...s, online: false })));
  if (!('serviceWorker' in nav)) {
    setState('unsupported');
    return;
  }
  const base = import.meta.env.BASE_URL;
  nav.serviceWorker.addEventListener('controllerchange', () => {
    if (reloadOnTakeover) win.location.reload();
  });
  const start = async () => {
    try {
      const hadController = nav.serviceWorker.controller !== null;
      const reg = await nav.serviceWorker.register(`${base}sw.js`, { scope: base });
      registration = reg;
      // A controlled page already runs from the cache; a build installing meanwhile is an update.
      if (reg.waiting && hadController) setState('update');
      else if (reg.active && (hadController || !reg.installing)) setState('ready');
      else setState('installing');
      track(reg.installing, hadController);
      reg.addEventListener('updatefound', () => track(reg.installing, nav.serviceWorker.controller !== null));
      recheck();
    } catch (e) {
      setState('error', e instanceof Error ? e.message : String(e));
    }
  };
  // After the page's own downloads (app, worker, dataset): precaching competes for the network.
  if (win.document.readyState === 'complete') void start();
  else win.addEventListener('load', () => void start(), { once: true });
}

/** Switch to the waiting build and reload once it has taken over. */
export function applyUpdate(): void {
  const waiting = registration?.waiting;
  if (!waiting) return;
  reloadOnTakeover = true;
  waiting.postMessage({ type: SKIP_WAITING_MESSAGE });
}

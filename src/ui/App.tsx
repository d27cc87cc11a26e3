/**
 * The playground: header readouts, controls, the two cells, the charts, and a side panel with the
 * genotype and the settings. The root carries the automation contract: `data-step`,
 * `data-backend` and `data-state` (idle | running | paused | error).
 */
import { useEffect, useRef, useState } from 'react';
import { CellsPanel } from './CellsPanel';
import { Charts } from './Charts';
import { Controls } from './Controls';
import type { Controller } from './controller';
import { useStore } from './createStore';
import { ErrorBanner } from './ErrorBanner';
import { GenotypePanel } from './GenotypePanel';
import { Header } from './Header';
import { HyperForm } from './HyperForm';
import { useShortcuts, useVisibilityPause } from './hooks';
import { live, run } from './store';

export function App({ controller, notices }: { controller: Controller; notices: string[] }) {
  const root = useRef<HTMLDivElement>(null);
  const backend = useStore(run, (r) => r.backend);
  const state = useStore(run, (r) => r.state);
  const [shownNotices, setShownNotices] = useState(notices);

  // data-step (and data-arch-step, α steps done) follow every applied snapshot without re-rendering the app.
  useEffect(() => {
    const el = root.current;
    if (!el) return;
    const sync = () => {
      const snap = live.get();
      el.setAttribute('data-step', String(snap?.step ?? 0));
      el.setAttribute('data-arch-step', String(snap?.archStep ?? 0));
      // true once the current run's first snapshot is on screen (false while building or resetting)
      el.setAttribute('data-ready', snap ? 'true' : 'false');
    };
    sync();
    return live.subscribe(sync);
  }, []);

  useShortcuts(controller);
  useVisibilityPause(controller);

  return (
    <div className="app" ref={root} data-step="0" data-arch-step="0" data-ready="false" data-backend={backend ?? ''} data-state={state}>
      <Header controller={controller} />
      <Controls controller={controller} />
      {shownNotices.length > 0 && (
        <div className="notice" role="status">
          {shownNotices.map((n) => (
            <p key={n}>{n}</p>
          ))}
          <button type="button" aria-label="Dismiss the notice" onClick={() => setShownNotices([])}>
            ×
          </button>
        </div>
      )}
      <ErrorBanner />
      <main className="workspace">
        <aside className="sidebar" aria-label="Genotype and settings">
          <GenotypePanel controller={controller} />
          <section className="panel" aria-labelledby="settings-title">
            <h2 id="settings-title">Settings</h2>
            <HyperForm controller={controller} />
          </section>
        </aside>
        <CellsPanel />
        <Charts />
      </main>
      <footer className="app-footer">
        <span>
          DARTS: Liu, Simonyan &amp; Yang, <cite>Differentiable Architecture Search</cite>, ICLR 2019. The search runs in a web
          worker on your machine; nothing is uploaded.
        </span>
        <span className="keys" aria-label="Keyboard shortcuts">
          <kbd>Space</kbd> play/pause · <kbd>A</kbd> step α · <kbd>W</kbd> step w · <kbd>S</kbd> step both · v{__APP_VERSION__}
        </span>
      </footer>
    </div>
  );
}

/**
 * The playground: header readouts, controls, the two cells, the charts, and a side panel with the
 * genotype and the settings. The root carries the automation contract: `data-step`,
 * `data-backend` and `data-state` (idle | running | paused | error) of the live run, and
 * `data-replay` (off | loading | playing | paused | ended, src/ui/replay.ts).
 */
import { useEffect, useRef, useState } from 'react';
import { CellsPanel } from './CellsPanel';
import { CompareDialog } from './CompareDialog';
import { ComparePanel } from './ComparePanel';
import { Charts } from './Charts';
import { Controls } from './Controls';
import type { Controller } from './controller';
import { useStore } from './createStore';
import { DatasetPanel } from './DatasetPanel';
import { CellEdgesTable } from './EdgeTable';
import { ErrorBanner } from './ErrorBanner';
import { CollapseNotice } from './CollapseNotice';
import { EvaluatePanel } from './EvaluatePanel';
import { GenotypePanel } from './GenotypePanel';
import { Header } from './Header';
import { HyperForm } from './HyperForm';
import { OfflineStatus } from './OfflineStatus';
import { ResumeOffer } from './ResumeOffer';
import { RunFilePanel } from './RunFilePanel';
import { HelpOverlay } from './HelpOverlay';
import { useCommandShortcuts, useVisibilityPause } from './hooks';
import { ShortcutHint } from './ShortcutHint';
import { TeachingOverlays } from './TeachingOverlays';
import { replayState } from './replay';
import { live, run } from './store';

export function App({ controller, notices }: { controller: Controller; notices: string[] }) {
  const root = useRef<HTMLDivElement>(null);
  const backend = useStore(run, (r) => r.backend);
  const state = useStore(run, (r) => r.state);
  const replay = useStore(replayState, (s) => s.status);
  const [shownNotices, setShownNotices] = useState(notices);

  // data-step (and data-arch-step, α steps done) follow every applied snapshot without re-rendering the app.
  useEffect(() => {
    const el = root.current;
    if (!el) return;
    const sync = () => {
      const snap = live.latest(); // the live run's, also while a replay or the history slider holds the view
      el.setAttribute('data-step', String(snap?.step ?? 0));
      el.setAttribute('data-arch-step', String(snap?.archStep ?? 0));
      // true once the current run's first snapshot is on screen (false while building or resetting)
      el.setAttribute('data-ready', snap ? 'true' : 'false');
      // The worker's tfjs memory (scripts/soak-browser.mjs reads these; flat over a long run = no leak).
      const m = snap?.memory;
      if (m) {
        el.setAttribute('data-tensors', String(m.numTensors));
        el.setAttribute('data-tensor-bytes', String(m.numBytes));
        el.setAttribute('data-heap-bytes', String(m.heapBytes));
      }
    };
    sync();
    return live.subscribe(sync);
  }, []);

  useCommandShortcuts(controller);
  useVisibilityPause(controller);

  return (
    <div className="app" ref={root} data-step="0" data-arch-step="0" data-ready="false" data-backend={backend ?? ''} data-state={state} data-replay={replay}>
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
      <ResumeOffer controller={controller} />
      <ErrorBanner />
      <CollapseNotice />
      <main className="workspace">
        <aside className="sidebar" aria-label="Genotype and settings">
          <GenotypePanel controller={controller} />
          <CellEdgesTable />
          <EvaluatePanel controller={controller} />
          <DatasetPanel controller={controller} />
          <RunFilePanel controller={controller} />
          <ComparePanel />
          <section className="panel" aria-labelledby="settings-title" data-control="settings">
            <h2 id="settings-title">Settings</h2>
            <HyperForm controller={controller} />
          </section>
        </aside>
        <CellsPanel controller={controller} />
        <Charts />
      </main>
      <footer className="app-footer">
        <span>
          DARTS: Liu, Simonyan &amp; Yang, <cite>Differentiable Architecture Search</cite>, ICLR 2019. The search runs in a web
          worker on your machine; nothing is uploaded.
        </span>
        <OfflineStatus />
        <span className="keys" aria-label="Keyboard shortcuts">
          <ShortcutHint /> · v{__APP_VERSION__}
        </span>
      </footer>
      <HelpOverlay />
      <CompareDialog />
      <TeachingOverlays />
    </div>
  );
}

import { useEffect, useRef } from 'react';
import { reductionCells } from '../core/searchSpace';
import { renderLegend, renderWidthKey } from '../viz/legend';
import { CELL_TITLES, LiveCellView, StaticCellView } from './CellView';
import type { Controller } from './controller';
import { appearance } from './appearance';
import { useStore } from './createStore';
import { HistorySlider } from './HistorySlider';
import { replayState } from './replay';
import { ReplayBanner } from './ReplayBanner';
import { run, settings } from './store';

function Legend({ ops, widthKey }: { ops: string[]; widthKey: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const keyRef = useRef<HTMLDivElement>(null);
  const key = ops.join(',');
  const palette = useStore(appearance, (a) => a.theme);
  const widths = useStore(settings, (s) => s.widths);
  useEffect(() => {
    if (ref.current) renderLegend(ref.current, key ? key.split(',') : [], palette);
  }, [key, palette]);
  useEffect(() => {
    if (keyRef.current && widthKey) renderWidthKey(keyRef.current, widths, Math.max(1, key ? key.split(',').length : 1), palette);
  }, [key, palette, widths, widthKey]);
  return (
    <div className="legend">
      <div ref={ref} />
      {widthKey && (
        <div className="width-key" data-control="widths">
          <div ref={keyRef} />
          <WidthScaleToggle />
        </div>
      )}
    </div>
  );
}

/** Relative (log, uniform = 1×) or absolute (linear softmax) edge widths; the link keeps the choice. */
function WidthScaleToggle() {
  const widths = useStore(settings, (s) => s.widths);
  const set = (w: 'relative' | 'absolute') => settings.set((s) => ({ ...s, widths: w }));
  return (
    <div className="width-toggle" role="group" aria-label="Edge width scale">
      <button type="button" aria-pressed={widths === 'relative'} onClick={() => set('relative')} title="softmax(α)·K on a log scale: small differences from uniform show">
        Relative to uniform
      </button>
      <button type="button" aria-pressed={widths === 'absolute'} onClick={() => set('absolute')} title="softmax(α) linearly: 0 → thin, 1 → thick">
        Absolute
      </button>
    </div>
  );
}

/** "α shared by the 2 normal cells of the 3-cell network": DARTS learns one α per cell type. */
function sharedNote(kind: 'normal' | 'reduce', layers: number): string {
  const reds = reductionCells(layers).length;
  const n = kind === 'normal' ? layers - reds : reds;
  const what = kind === 'normal' ? 'normal' : 'reduction';
  return `one α shared by all ${n} ${what} cell${n === 1 ? '' : 's'} of the ${layers}-cell supernet`;
}

export function CellsPanel({ controller }: { controller: Controller }) {
  const view = useStore(settings, (s) => s.view);
  const imported = useStore(settings, (s) => s.imported);
  const layers = useStore(run, (r) => r.config?.layers ?? null);
  const opsKey = useStore(run, (r) => r.config?.ops.join(',') ?? '');
  const status = useStore(run, (r) => r.status);
  const replaying = useStore(replayState, (s) => s.status !== 'off' && s.status !== 'loading');
  const showImported = view === 'imported' && imported !== null;
  const legendOps = showImported
    ? [...new Set([...imported.normal, ...imported.reduce].map(([op]) => op as string))]
    : opsKey
      ? opsKey.split(',')
      : [];

  return (
    <section
      className={`cells${showImported || replaying ? ' with-banner' : ''}${showImported ? '' : ' with-history'}`}
      aria-label="Cells"
      aria-busy={status !== null && !replaying}
    >
      {showImported && (
        <div className="imported-banner" role="note">
          <span>
            Showing the <strong>imported genotype</strong> as a discrete cell. The search keeps its state.
          </span>
          <button type="button" onClick={() => settings.set((s) => ({ ...s, view: 'search' }))}>
            Back to live search
          </button>
        </div>
      )}
      {!showImported && replaying && <ReplayBanner controller={controller} />}
      {(['normal', 'reduce'] as const).map((kind) => (
        <div className="cell-card" key={kind}>
          <div className="cell-head">
            <h2>
              {showImported ? 'Imported: ' : ''}
              {CELL_TITLES[kind]}
            </h2>
            {!showImported && layers !== null && <span className="cell-note">{sharedNote(kind, layers)}</span>}
          </div>
          {showImported ? (
            <StaticCellView kind={kind} pairs={imported[kind]} concat={imported[`${kind}_concat`]} />
          ) : (
            <LiveCellView kind={kind} />
          )}
        </div>
      ))}
      {!showImported && <HistorySlider />}
      <Legend ops={legendOps} widthKey={!showImported} />
      {status && !replaying && (
        <p className="busy" role="status">
          <span className="spinner" aria-hidden="true" />
          {status}
        </p>
      )}
    </section>
  );
}

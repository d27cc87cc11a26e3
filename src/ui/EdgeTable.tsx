/**
 * "Cell edges as a table": the text alternative of the two cell drawings. A <details>
 * disclosure, so it costs nothing while closed; while open it follows the live store at most
 * TABLE_HZ times a second (a screen reader cannot read faster than that anyway, and 20 Hz table
 * rebuilds would cost the main thread for nothing). Weights are softmax(α); "kept" is the op the
 * derived genotype keeps on the edge (spec §4.1: top-2 incoming edges per node, `none` excluded).
 */
import { useEffect, useState } from 'react';
import type { CellKind } from '../viz/types';
import { CELL_TITLES } from './CellView';
import { useStore } from './createStore';
import { derivedGenotype } from './derived';
import { edgeRows, fmtWeight, genotypeRows } from './edgeRows';
import { live, run, settings, type LiveSnapshot } from './store';
import './edgeTable.css';

/** Updates per second while the table is open. */
const TABLE_HZ = 2;

/** The live snapshot, sampled at most `hz` times a second (leading and trailing edge). */
function useThrottledLive(hz: number): LiveSnapshot | null {
  const [snap, setSnap] = useState(() => live.get());
  useEffect(() => {
    const period = 1000 / hz;
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      last = Date.now();
      setSnap(live.get());
    };
    const off = live.subscribe(() => {
      if (timer) return;
      const wait = last + period - Date.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    });
    flush();
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [hz]);
  return snap;
}

function LiveTables() {
  const snap = useThrottledLive(TABLE_HZ);
  const config = useStore(run, (r) => r.config);
  if (!snap || !config) return <p className="panel-note">Waiting for the first snapshot…</p>;
  const genotype = derivedGenotype(snap, config);
  return (
    <>
      <p className="panel-note">
        softmax(α) per edge, updated twice a second at step {snap.step}. “Kept” is the op the derived genotype keeps
        (top-2 incoming edges per node, <code>none</code> excluded); “–” = edge dropped.
      </p>
      {(['normal', 'reduce'] as const).map((kind: CellKind) => {
        const rows = edgeRows(kind === 'normal' ? snap.softmaxNormal : snap.softmaxReduce, config.ops, config.steps, genotype?.[kind] ?? null);
        return (
          <div className="edge-table-scroll" key={kind} role="region" aria-label={`${CELL_TITLES[kind]} edges`} tabIndex={0}>
            <table className="edge-table" data-testid={`edge-table-${kind}`}>
              <caption>{CELL_TITLES[kind]}</caption>
              <thead>
                <tr>
                  <th scope="col">Edge</th>
                  <th scope="col">Strongest</th>
                  <th scope="col">Kept</th>
                  {config.ops.map((op) => (
                    <th scope="col" key={op}>
                      {op}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.row} data-from={r.from} data-to={r.to}>
                    <th scope="row">{r.edge}</th>
                    <td>{r.strongest}</td>
                    <td>{r.kept ?? '–'}</td>
                    {r.weights.map((w, o) => (
                      <td key={o} className="num" data-op={config.ops[o]}>
                        {fmtWeight(w)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </>
  );
}

function ImportedTables() {
  const imported = useStore(settings, (s) => s.imported);
  if (!imported) return null;
  return (
    <>
      <p className="panel-note">The imported genotype: one op per kept edge.</p>
      {(['normal', 'reduce'] as const).map((kind) => (
        <table className="edge-table" key={kind} data-testid={`edge-table-${kind}`}>
          <caption>Imported {CELL_TITLES[kind].toLowerCase()}</caption>
          <thead>
            <tr>
              <th scope="col">Edge</th>
              <th scope="col">Op</th>
            </tr>
          </thead>
          <tbody>
            {genotypeRows(imported[kind]).map((r, i) => (
              <tr key={i}>
                <th scope="row">{r.edge}</th>
                <td>{r.op}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </>
  );
}

export function CellEdgesTable() {
  const [open, setOpen] = useState(false);
  const imported = useStore(settings, (s) => s.view === 'imported' && s.imported !== null);
  return (
    <details className="panel edge-table-panel" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Cell edges as a table</summary>
      {open && (imported ? <ImportedTables /> : <LiveTables />)}
    </details>
  );
}

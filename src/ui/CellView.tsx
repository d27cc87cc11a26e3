/**
 * React owns the <svg> container; src/viz owns what is inside it (anchors §5.6). The live view
 * lays out once per topology (steps × ops) and then only restyles curves when a snapshot lands.
 */
import { useEffect, useRef } from 'react';
import { cellLayout, genotypeLayout } from '../viz/cellLayout';
import { createCellView, type CellView } from '../viz/renderCell';
import type { CellKind, CellPairs } from '../viz/types';
import { appearance } from './appearance';
import { useStore } from './createStore';
import { derivedGenotype } from './derived';
import { replayState } from './replay';
import { live, run, settings } from './store';

/** The views on screen, for "Export SVG". */
export const cellViews: Partial<Record<CellKind, CellView>> = {};

export const CELL_TITLES: Record<CellKind, string> = { normal: 'Normal cell', reduce: 'Reduction cell' };

export function LiveCellView({ kind }: { kind: CellKind }) {
  const svgRef = useRef<SVGSVGElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const steps = useStore(run, (r) => r.config?.steps ?? null);
  const opsKey = useStore(run, (r) => r.config?.ops.join(',') ?? '');
  const palette = useStore(appearance, (a) => a.theme);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg || steps === null || opsKey === '') return;
    const layout = cellLayout({ steps, ops: opsKey.split(','), kind });
    const view = createCellView(svg, layout, {
      tooltipParent: boxRef.current,
      title: CELL_TITLES[kind].toLowerCase(),
      palette,
      // No width transitions: animating every curve between 20 Hz snapshots cost the main thread
      // 50–65 ms long tasks and dropped rAF to ~50 fps on a 2-core machine; the snapshot rate
      // itself already makes the change look continuous.
      transitionMs: 0,
      // Selecting an edge also opens the edge inspector on it (EdgeInspector.tsx).
      onEdgeSelect: (edge) => settings.set((s) => ({ ...s, selectedEdge: { cell: kind, row: edge.row }, inspectorOpen: true })),
    });
    cellViews[kind] = view;
    const apply = () => {
      const snap = live.get();
      const g = derivedGenotype(snap, run.get().config);
      view.update({
        softmax: snap ? (kind === 'normal' ? snap.softmaxNormal : snap.softmaxReduce) : null,
        raw: snap ? (kind === 'normal' ? snap.rawNormal : snap.rawReduce) : null,
        genotype: g ? g[kind] : null,
        // A replay's last frame is its derive moment (spec §4.1): the top-2 overlay comes on.
        showDerived: settings.get().showDerived || replayState.get().status === 'ended',
        widths: settings.get().widths,
      });
    };
    apply();
    // While the search runs, a snapshot's work is spread over three rendering frames: React's
    // text (header, panels) in the store's frame, then the normal cell, then the reduction cell.
    // Together they made one 50–70 ms frame on a 2-core machine; apart each stays well under the
    // 50 ms long-task line (e2e/responsiveness.spec.ts). Two frames at 60 Hz is 33 ms, far below
    // the 250 ms snapshot pacing. Otherwise (a step, a reset, the history slider, a replay) the
    // cells redraw at once, so what is drawn always matches the step the page shows.
    const delayFrames = kind === 'normal' ? 1 : 2;
    let frame = 0;
    const cancel = () => {
      if (frame !== 0) cancelAnimationFrame(frame);
      frame = 0;
    };
    const later = () => {
      if (frame !== 0) return;
      let left = delayFrames;
      const tick = () => {
        left -= 1;
        if (left > 0) frame = requestAnimationFrame(tick);
        else {
          frame = 0;
          apply();
        }
      };
      frame = requestAnimationFrame(tick);
    };
    const onLive = () => {
      if (run.get().state === 'running' && typeof requestAnimationFrame === 'function') later();
      else {
        cancel();
        apply();
      }
    };
    const offLive = live.subscribe(onLive);
    const offSettings = settings.subscribe(apply);
    let ended = replayState.get().status === 'ended';
    const offReplay = replayState.subscribe(() => {
      const now = replayState.get().status === 'ended';
      if (now !== ended) {
        ended = now;
        apply();
      }
    });
    return () => {
      cancel();
      offLive();
      offSettings();
      offReplay();
      if (cellViews[kind] === view) delete cellViews[kind];
      view.destroy();
    };
  }, [kind, steps, opsKey, palette]);

  return (
    <div className="cell-canvas" ref={boxRef}>
      <svg ref={svgRef} className="cell-svg" data-testid={`cell-${kind}`} />
    </div>
  );
}

export function StaticCellView({ kind, pairs, concat }: { kind: CellKind; pairs: CellPairs; concat: readonly number[] }) {
  const svgRef = useRef<SVGSVGElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const palette = useStore(appearance, (a) => a.theme);
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const layout = genotypeLayout(pairs, { kind, concat });
    const view = createCellView(svg, layout, {
      tooltipParent: boxRef.current,
      title: `imported ${CELL_TITLES[kind].toLowerCase()}`,
      palette,
    });
    view.update({});
    cellViews[kind] = view;
    return () => {
      if (cellViews[kind] === view) delete cellViews[kind];
      view.destroy();
    };
  }, [kind, pairs, concat, palette]);
  return (
    <div className="cell-canvas" ref={boxRef}>
      <svg ref={svgRef} className="cell-svg" data-testid={`cell-${kind}`} />
    </div>
  );
}

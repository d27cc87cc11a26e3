/**
 * One cell of a compared run, drawn by the same renderer as the live cells (src/viz/renderCell):
 * laid out once per topology, restyled when the shown frame changes. The derived top-2 overlay
 * is always on, since the comparison is about the genotypes. Clicking an edge plots its α.
 */
import { useEffect, useRef } from 'react';
import type { Genotype } from '../core/genotype';
import { cellLayout } from '../viz/cellLayout';
import { createCellView, type CellView } from '../viz/renderCell';
import type { CellKind } from '../viz/types';
import { appearance } from './appearance';
import type { CompareRun } from './compare';
import { compare } from './compareStore';
import { useStore } from './createStore';
import { CELL_TITLES } from './CellView';
import { settings } from './store';

export function CompareCell({
  slot,
  kind,
  run,
  index,
  genotype,
}: {
  slot: 'A' | 'B';
  kind: CellKind;
  run: CompareRun;
  index: number;
  genotype: Genotype | null;
}) {
  const svgRef = useRef<SVGSVGElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<CellView | null>(null);
  const palette = useStore(appearance, (a) => a.theme);
  const widths = useStore(settings, (s) => s.widths);
  const steps = run.config.steps;
  const opsKey = run.config.ops.join(',');

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const view = createCellView(svg, cellLayout({ steps, ops: opsKey.split(','), kind }), {
      tooltipParent: boxRef.current,
      title: `run ${slot} ${CELL_TITLES[kind].toLowerCase()}`,
      palette,
      transitionMs: 0,
      onEdgeSelect: (edge) => compare.set((s) => ({ ...s, mode: { kind: 'edge', cell: kind, row: edge.row } })),
    });
    viewRef.current = view;
    return () => {
      viewRef.current = null;
      view.destroy();
    };
  }, [slot, kind, steps, opsKey, palette]);

  useEffect(() => {
    const f = run.frames[index];
    viewRef.current?.update({
      softmax: f ? (kind === 'normal' ? f.softmaxNormal : f.softmaxReduce) : null,
      genotype: genotype ? genotype[kind] : null,
      showDerived: genotype !== null,
      widths,
    });
  }, [run, index, genotype, kind, widths, steps, opsKey, palette]);

  return (
    <div className="compare-cell">
      <h4>{CELL_TITLES[kind]}</h4>
      <div className="cell-canvas" ref={boxRef}>
        <svg ref={svgRef} className="cell-svg" data-testid={`compare-cell-${slot.toLowerCase()}-${kind}`} />
      </div>
    </div>
  );
}

/**
 * The edge inspector: click an edge of a cell (or pick one in the select) to see paper eq. 2 for
 * that edge filled in with the live numbers: every op's α, softmax(α) and the gradient of the
 * last α step (`archGradNormal` / `archGradReduce` of the snapshot, spec §3.4–3.5), plus a
 * sparkline of the edge's softmax history. A floating, non-modal panel: the shortcuts keep
 * working (press A and watch the gradient change); Escape closes it.
 */
import { useEffect, useRef, useState } from 'react';
import { opColor, opDash } from '../viz/scales';
import { useStore } from './createStore';
import { edgeNames, edgeOptions, edgeReadings, fmtNum, fmtSigned, gradRowSum, mixedOpTex, softmaxTex, sparkPaths } from './inspectorFormat';
import { live, run, settings, type LiveSnapshot } from './store';
import { Tex } from './Tex';

/** Redraw at most this often: formulas need no more than a few updates per second. */
const REDRAW_MS = 250;

/** The snapshot on screen, re-read at most every REDRAW_MS. */
function useThrottledSnapshot(): { snap: LiveSnapshot | null; version: number } {
  const [state, setState] = useState(() => ({ snap: live.get(), version: live.version }));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const pull = () => {
      timer = null;
      last = performance.now();
      setState({ snap: live.get(), version: live.version });
    };
    const off = live.subscribe(() => {
      if (timer === null) timer = setTimeout(pull, Math.max(0, last + REDRAW_MS - performance.now()));
    });
    return () => {
      off();
      if (timer !== null) clearTimeout(timer);
    };
  }, []);
  return state;
}

export function closeInspector(): void {
  settings.set((s) => (s.inspectorOpen ? { ...s, inspectorOpen: false } : s));
}

const SPARK_W = 260;
const SPARK_H = 64;

function Sparkline({ cell, row, ops }: { cell: 'normal' | 'reduce'; row: number; ops: readonly string[] }) {
  const h = live.history;
  const list = cell === 'normal' ? h.softmaxNormal : h.softmaxReduce;
  const k = ops.length;
  const series = ops.map((_, c) => list.map((a) => a[row * k + c]));
  // x = snapshot index, not the step: α-only steps do not advance the step counter.
  const { paths, lo, hi } = sparkPaths(list.map((_, i) => i), series, SPARK_W, SPARK_H, { minSpan: 0.01 });
  const first = h.alphaStep[0];
  const lastStep = h.alphaStep[h.alphaStep.length - 1];
  return (
    <figure className="inspector-spark">
      <figcaption>
        softmax(α) of this edge over {list.length} snapshot{list.length === 1 ? '' : 's'}
        {list.length > 0 ? (first === lastStep ? ` (all at weight step ${first})` : ` (weight steps ${first}–${lastStep})`) : ''}
      </figcaption>
      <div className="spark-box">
        <span className="spark-y" aria-hidden="true">
          <span>{hi.toFixed(3)}</span>
          <span>{lo.toFixed(3)}</span>
        </span>
        <svg
          viewBox={`0 0 ${SPARK_W} ${SPARK_H}`}
          width={SPARK_W}
          height={SPARK_H}
          role="img"
          aria-label={`softmax history of the ${k} ops of this edge`}
          data-testid="inspector-sparkline"
        >
          <rect x={0} y={0} width={SPARK_W} height={SPARK_H} fill="none" stroke="var(--line, #ccc)" />
          {paths.map((d, c) =>
            d ? (
              <path
                key={ops[c]}
                d={d}
                fill="none"
                stroke={opColor(ops[c])}
                strokeDasharray={opDash(ops[c]) || undefined}
                strokeWidth={1.5}
                vectorEffect="non-scaling-stroke"
              />
            ) : null,
          )}
        </svg>
      </div>
    </figure>
  );
}

export function EdgeInspector() {
  const sel = useStore(settings, (s) => s.selectedEdge);
  const steps = useStore(run, (r) => r.config?.steps ?? null);
  const order = useStore(run, (r) => r.config?.order ?? 1);
  const opsKey = useStore(run, (r) => r.config?.ops.join(',') ?? '');
  const { snap } = useThrottledSnapshot();
  const heading = useRef<HTMLHeadingElement>(null);

  // Focus the title when the panel opens; give focus back (to the clicked edge) when it closes.
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    heading.current?.focus();
    return () => {
      if (before && before.isConnected && typeof before.focus === 'function') before.focus();
    };
  }, []);

  // Escape closes, unless another dialog (help, tour, confirm) owns the key.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const t = e.target as Element | null;
      if (t?.closest?.('[role="dialog"], dialog, [role="menu"]')) return;
      closeInspector();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const ops = opsKey ? opsKey.split(',') : [];
  const options = steps !== null ? edgeOptions(steps) : [];
  const option = options.find((o) => o.cell === sel.cell && o.row === sel.row) ?? null;
  const normal = sel.cell === 'normal';
  const readings =
    snap && option
      ? edgeReadings(
          {
            raw: normal ? snap.rawNormal : snap.rawReduce,
            softmax: normal ? snap.softmaxNormal : snap.softmaxReduce,
            grad: normal ? snap.archGradNormal : snap.archGradReduce,
          },
          option.row,
          ops,
        )
      : null;
  const hasGrad = !!readings && readings.every((r) => r.grad !== null);
  const sum = readings ? gradRowSum(readings) : null;

  return (
    <section
      className="inspector"
      role="region"
      aria-labelledby="inspector-title"
      data-testid="edge-inspector"
      data-cell={sel.cell}
      data-row={sel.row}
      data-from={option?.from}
      data-to={option?.to}
    >
      <header className="inspector-head">
        <h2 id="inspector-title" ref={heading} tabIndex={-1}>
          Edge inspector
        </h2>
        <button type="button" className="icon-button" aria-label="Close the edge inspector" title="Close (Esc)" onClick={closeInspector}>
          ×
        </button>
      </header>
      <label className="inline-field inspector-select">
        Edge
        <select
          value={option ? `${option.cell}:${option.row}` : ''}
          onChange={(e) => {
            const [cell, row] = e.target.value.split(':');
            settings.set((s) => ({ ...s, selectedEdge: { cell: cell as 'normal' | 'reduce', row: Number(row) } }));
          }}
        >
          {(['normal', 'reduce'] as const).map((cell) => (
            <optgroup key={cell} label={cell === 'normal' ? 'Normal cell' : 'Reduction cell'}>
              {options
                .filter((o) => o.cell === cell)
                .map((o) => (
                  <option key={o.row} value={`${o.cell}:${o.row}`}>
                    {edgeNames(o.from, o.to).words} (α row {o.row})
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </label>
      {!option || !readings ? (
        <p className="inspector-empty">No live α yet: the supernet is still being built.</p>
      ) : (
        <>
          <p className="inspector-sub" data-testid="inspector-edge">
            {normal ? 'Normal' : 'Reduction'} cell, edge {edgeNames(option.from, option.to).words}, α row {option.row} ·
            step {snap?.step ?? 0}, α steps {snap?.archStep ?? 0}
          </p>
          <Tex tex={mixedOpTex(option.from, option.to, readings)} display className="inspector-formula" />
          <Tex tex={softmaxTex(readings)} display className="inspector-formula" />
          <table className="inspector-table">
            <caption className="sr-only">α, softmax(α) and the last α gradient of each op on this edge</caption>
            <thead>
              <tr>
                <th scope="col">op</th>
                <th scope="col">
                  <Tex tex="\alpha_o" />
                </th>
                <th scope="col">
                  <Tex tex="p_o = \operatorname{softmax}(\alpha)_o" />
                </th>
                <th scope="col">
                  <Tex tex="\partial \mathcal{L}_{\text{val}} / \partial \alpha_o" />
                </th>
              </tr>
            </thead>
            <tbody>
              {readings.map((r) => (
                <tr key={r.op} data-op={r.op}>
                  <th scope="row">
                    <span className="op-swatch" style={{ background: opColor(r.op) }} aria-hidden="true" />
                    {r.op}
                  </th>
                  <td data-testid={`inspector-alpha-${r.op}`}>{fmtNum(r.alpha)}</td>
                  <td data-testid={`inspector-softmax-${r.op}`}>{fmtNum(r.p)}</td>
                  <td data-testid={`inspector-grad-${r.op}`}>{fmtSigned(r.grad)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="inspector-note" data-testid="inspector-grad-note">
            {hasGrad ? (
              <>
                Gradient of the last α step ({order === 2 ? 'second order, spec §3.5' : 'first order, spec §3.4'}), before
                Adam and its weight decay; Adam moves α against it. Row sum {fmtSigned(sum, 6)} ≈ 0: softmax ignores a
                shift of all α (spec §2).
              </>
            ) : (
              <>No α step yet: the gradient appears after the first α step (press Step α).</>
            )}
          </p>
          <Sparkline cell={sel.cell} row={option.row} ops={ops} />
        </>
      )}
    </section>
  );
}

export default EdgeInspector;

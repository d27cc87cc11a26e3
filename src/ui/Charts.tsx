/**
 * Live charts: losses, accuracies, the α trajectories of the selected edge, and the mean edge
 * entropy. uPlot (via src/viz/charts) draws on canvas and decimates, so 10,000+ steps stay smooth;
 * redraws are throttled below the snapshot rate because a chart needs no more than ~8 per second.
 */
import { useEffect, useRef } from 'react';
import { stateName } from '../core/searchSpace';
import { AXIS_COLORS, createLineChart, type LineChart, type LineSeries } from '../viz/charts';
import { maxEntropy } from '../viz/entropy';
import { opColorIn, opDash } from '../viz/scales';
import { appearance } from './appearance';
import { useStore } from './createStore';
import { formatTick } from './format';
import { live, run, settings, type History } from './store';

const REDRAW_MS = 125;

type Extract = (h: History) => { xs: ArrayLike<number>; ys: ArrayLike<number | null>[] };

/** One chart box: builds the uPlot chart, follows the container's size, redraws on snapshots. */
function LiveChart({
  title,
  series,
  yLabel,
  extract,
  deps,
  testId,
  showKey = true,
  hint,
  yRange,
  minSpan,
}: {
  /** Smallest y span shown when autoscaling. */
  minSpan?: number;
  /** A fixed y range (e.g. accuracy 0…1) instead of autoscaling. */
  yRange?: [number, number];
  hint?: string;
  showKey?: boolean;
  title: string;
  series: LineSeries[];
  yLabel: string;
  extract: Extract;
  deps: unknown[];
  testId: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const extractRef = useRef(extract);
  extractRef.current = extract;
  // Axis colours follow the theme, axis text the large-text toggle (uPlot draws on a canvas).
  const palette = useStore(appearance, (a) => a.theme);
  const fontPx = useStore(appearance, (a) => (a.largeFont ? 15 : 12));

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const size = () => ({ w: Math.max(120, el.clientWidth), h: Math.max(60, el.clientHeight) });
    const s0 = size();
    const axes = { ...AXIS_COLORS[palette], fontPx };
    const chart: LineChart = createLineChart(el, { series, yLabel, height: s0.h, width: s0.w, axes });
    // Compact: the caption names the chart and its series, so the axis titles and uPlot's
    // legend (hidden in CSS) would only take plot space from small panels.
    for (const axis of chart.plot.axes) axis.label = undefined;
    // Enough decimals to tell neighbouring ticks apart (α moves in the third decimal early on).
    const yAxis = chart.plot.axes[1];
    // Decimals from the actual tick spacing (uPlot's `incr` can be coarser than the splits).
    yAxis.values = (_u, splits, _i, _space, incr) => {
      const gap = splits.length > 1 ? Math.abs(splits[1] - splits[0]) : incr;
      return splits.map((v) => formatTick(v, Math.min(incr, gap) || incr));
    };
    // Wide enough for the longest label (uPlot's fixed 50 px clips "0.1250").
    yAxis.size = (_u, values) => 18 + ((8 * fontPx) / 12) * Math.max(3, ...(values ?? []).map((v) => String(v).length));
    if (yRange) chart.plot.scales.y.range = () => yRange;
    else if (minSpan) {
      // Autoscale, but never zoom in below minSpan: early on α and entropy move in the 4th decimal.
      chart.plot.scales.y.range = (_u, min, max) => {
        if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
        const span = max - min;
        if (span >= minSpan) return [min - 0.05 * span, max + 0.05 * span];
        const mid = (min + max) / 2;
        return [mid - minSpan / 2, mid + minSpan / 2];
      };
    }
    chart.resize(s0.w, s0.h);
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let drawnVersion = -1;
    const draw = () => {
      timer = null;
      last = performance.now();
      if (drawnVersion === live.version) return;
      drawnVersion = live.version;
      const { xs, ys } = extractRef.current(live.history);
      chart.setData(xs, ys);
    };
    const schedule = () => {
      if (timer !== null) return;
      const wait = Math.max(0, last + REDRAW_MS - performance.now());
      timer = setTimeout(draw, wait);
    };
    draw();
    const off = live.subscribe(schedule);
    const ro = new ResizeObserver(() => {
      const s = size();
      chart.resize(s.w, s.h);
    });
    ro.observe(el);
    return () => {
      off();
      ro.disconnect();
      if (timer !== null) clearTimeout(timer);
      chart.destroy();
    };
    // The chart is rebuilt only when its series (e.g. another op set), the theme or the text size change.
  }, [...deps, palette, fontPx]);

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>
        <span className="chart-title" title={hint}>
          {title}
        </span>
        {showKey &&
          series.map((s) => (
            <span key={s.label} className="chart-key">
              <svg width="18" height="8" aria-hidden="true">
                <line x1="1" x2="17" y1="4" y2="4" stroke={s.color} strokeWidth="2.5" strokeDasharray={s.dash?.join(' ')} />
              </svg>
              {s.label}
            </span>
          ))}
      </figcaption>
      <div className="chart-box" ref={box} />
    </figure>
  );
}

const TRAIN = '#0072B2';
const VAL = '#D55E00';

function dashOf(op: string): number[] | undefined {
  const d = opDash(op);
  return d ? d.split(/\s+/).map(Number) : undefined;
}

export function Charts() {
  const opsKey = useStore(run, (r) => r.config?.ops.join(',') ?? '');
  const ops = opsKey ? opsKey.split(',') : [];
  const cell = useStore(settings, (s) => s.selectedEdge.cell);
  const row = useStore(settings, (s) => s.selectedEdge.row);
  const steps = useStore(run, (r) => r.config?.steps ?? 4);
  const edgeName = edgeLabel(row, steps);
  const palette = useStore(appearance, (a) => a.theme);

  return (
    <section className="charts" aria-label="Charts">
      <LiveChart
        title="Loss"
        testId="chart-loss"
        yLabel="cross-entropy"
        series={[
          { label: 'train', color: TRAIN },
          { label: 'val', color: VAL, dash: [6, 3] },
        ]}
        extract={(h) => ({ xs: h.step, ys: [h.trainLoss, h.valLoss] })}
        deps={[]}
      />
      <LiveChart
        title="Accuracy"
        testId="chart-acc"
        yRange={[0, 1]}
        yLabel="accuracy"
        series={[
          { label: 'train', color: TRAIN },
          { label: 'val', color: VAL, dash: [6, 3] },
        ]}
        extract={(h) => ({ xs: h.step, ys: [h.trainAcc, h.valAcc] })}
        deps={[]}
      />
      <LiveChart
        title={`softmax(α), ${cell === 'normal' ? 'normal' : 'reduction'} edge ${edgeName}`}
        hint="Coloured by op as in the legend. Click (or press Enter on) an edge of a cell to follow it here."
        testId="chart-alpha"
        minSpan={0.002}
        showKey={false}
        yLabel="weight"
        series={ops.map((op) => ({ label: op, color: opColorIn(palette, op), dash: dashOf(op), width: 2 }))}
        extract={(h) => {
          const list = cell === 'normal' ? h.softmaxNormal : h.softmaxReduce;
          const k = ops.length;
          return {
            xs: h.alphaStep,
            ys: ops.map((_, c) => list.map((a) => a[row * k + c] ?? null)),
          };
        }}
        deps={[opsKey, cell, row]}
      />
      <LiveChart
        title={`Edge entropy (max ${maxEntropy(ops.length || 8).toFixed(2)})`}
        hint="Mean over edges of the entropy of softmax(α), in nats. It starts at ln(#ops) (undecided) and falls as edges commit to one op."
        testId="chart-entropy"
        minSpan={0.002}
        yLabel="nats"
        series={[
          { label: 'normal', color: '#009E73' },
          { label: 'reduce', color: '#CC79A7', dash: [6, 3] },
        ]}
        extract={(h) => ({ xs: h.alphaStep, ys: [h.entropyNormal, h.entropyReduce] })}
        deps={[opsKey]}
      />
      <LiveChart
        title="Derived cells: #skip, #param-free"
        hint="Edges of the derived cells that are skip_connect, or any parameter-free op (skip, max or avg pool). DARTS+ stops at 2 skips in the normal cell (spec §7)."
        testId="chart-collapse"
        yLabel="edges"
        minSpan={2}
        series={[
          { label: 'skip (normal)', color: '#E69F00', width: 2 },
          { label: 'param-free (normal)', color: '#56B4E9', dash: [6, 3] },
          { label: 'param-free (reduce)', color: '#CC79A7', dash: [2, 2] },
        ]}
        extract={(h) => ({ xs: h.alphaStep, ys: [h.skipNormal, h.paramFreeNormal, h.paramFreeReduce] })}
        deps={[]}
      />
      <LiveChart
        title="λ_max of ∇²α L_val"
        hint="Dominant Hessian eigenvalue of the validation loss in α, by power iteration with finite-difference Hessian-vector products, every 100 steps while playing. RobustDARTS: a growing λ_max signals a degrading search (spec §6–7)."
        testId="chart-eigen"
        yLabel="λ_max"
        showKey={false}
        series={[{ label: 'λ_max', color: '#D55E00', width: 2 }]}
        extract={(h) => ({ xs: h.eigenStep, ys: [h.eigenLambda] })}
        deps={[]}
      />
    </section>
  );
}

/** "c_{k-1} → 0" for α row `row` of a cell with `steps` nodes. */
function edgeLabel(row: number, steps: number): string {
  let r = row;
  for (let to = 0; to < steps; to++) {
    if (r < to + 2) return `${stateName(r)} → ${to}`;
    r -= to + 2;
  }
  return `row ${row}`;
}

/**
 * The two runs' trajectories on one chart (uPlot via src/viz/charts): the normalised edge
 * entropy of both cells, or softmax(α) of one edge, op by op. Run A is drawn solid, run B
 * dashed, and the key says so in words.
 */
import { useEffect, useRef } from 'react';
import { AXIS_COLORS, createLineChart, type LineChart, type LineSeries } from '../viz/charts';
import { opColorIn } from '../viz/scales';
import { appearance } from './appearance';
import { trajectories, type CompareRun, type TrajectoryLine, type TrajectoryMode } from './compare';
import { useStore } from './createStore';

const CELL_COLORS: Record<string, string> = { normal: '#009E73', reduce: '#CC79A7' };
const B_DASH = [6, 3];

function seriesOf(lines: TrajectoryLine[], palette: 'light' | 'dark', mode: TrajectoryMode): LineSeries[] {
  return lines.map((l) => ({
    label: l.label,
    color: mode.kind === 'entropy' ? CELL_COLORS[l.key] : opColorIn(palette, l.key),
    // A solid, B dashed; in the entropy chart the reduction cell is dotted on top of that.
    dash: l.run === 'B' ? (l.key === 'reduce' ? [6, 3, 2, 3] : B_DASH) : l.key === 'reduce' ? [2, 3] : undefined,
    width: l.run === 'A' ? 2.25 : 1.75,
  }));
}

export function CompareChart({ a, b, mode }: { a: CompareRun | null; b: CompareRun | null; mode: TrajectoryMode }) {
  const box = useRef<HTMLDivElement>(null);
  const chartRef = useRef<LineChart | null>(null);
  const palette = useStore(appearance, (x) => x.theme);
  const fontPx = useStore(appearance, (x) => (x.largeFont ? 15 : 12));
  const data = trajectories(a, b, mode);
  const series = seriesOf(data.lines, palette, mode);
  const seriesKey = series.map((s) => `${s.label}:${s.color}`).join('|');

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const w = Math.max(160, el.clientWidth);
    const h = Math.max(120, el.clientHeight);
    const chart = createLineChart(el, {
      series,
      yLabel: mode.kind === 'entropy' ? 'entropy / max' : 'softmax(α)',
      width: w,
      height: h,
      axes: { ...AXIS_COLORS[palette], fontPx },
    });
    for (const axis of chart.plot.axes) axis.label = undefined;
    chart.plot.scales.y.range = () => (mode.kind === 'entropy' ? [0, 1.02] : [0, 1]);
    chart.resize(w, h);
    chartRef.current = chart;
    const ro = new ResizeObserver(() => chart.resize(Math.max(160, el.clientWidth), Math.max(120, el.clientHeight)));
    ro.observe(el);
    return () => {
      ro.disconnect();
      chartRef.current = null;
      chart.destroy();
    };
    // Rebuilt only when the series change (another mode, edge or run), or the theme or text size.
  }, [seriesKey, mode.kind, palette, fontPx]);

  useEffect(() => {
    chartRef.current?.setData(data.xs, data.lines.map((l) => l.values));
  });

  const keyed = new Map<string, string>();
  series.forEach((s, i) => keyed.set(data.lines[i].key, s.color));
  return (
    <figure className="chart compare-chart" data-testid="compare-chart" data-lines={data.lines.length}>
      <figcaption>
        <span className="chart-title">
          {mode.kind === 'entropy' ? 'Edge entropy ÷ ln(#ops) (1 = undecided)' : 'softmax(α) of the chosen edge'}
        </span>
        <span className="chart-key">run A solid, run B dashed{mode.kind === 'entropy' ? '; reduction cell dotted' : ''}</span>
        {[...keyed].map(([key, color]) => (
          <span key={key} className="chart-key">
            <svg width="18" height="8" aria-hidden="true">
              <line x1="1" x2="17" y1="4" y2="4" stroke={color} strokeWidth="2.5" />
            </svg>
            {key === 'reduce' ? 'reduction' : key}
          </span>
        ))}
      </figcaption>
      <div className="chart-box" ref={box} />
    </figure>
  );
}

/**
 * Line charts (losses, accuracies, entropy, #skip) as thin wrappers over uPlot, which draws to
 * canvas and stays fast over 10,000+ steps; `decimate` keeps each redraw to about two points per
 * pixel column. Browser only: uPlot needs a DOM with matchMedia; only `decimate` is tested in Node.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { decimate } from './decimate';

export interface LineSeries {
  label: string;
  color: string;
  /** Canvas dash pattern, e.g. [6, 3]; pair it with the colour so lines differ without colour. */
  dash?: number[];
  width?: number;
}

export interface LineChartOptions {
  series: LineSeries[];
  yLabel: string;
  xLabel?: string;
  height: number;
  /** Default: the container's width. */
  width?: number;
  /** Logarithmic y axis (losses over long runs). */
  logY?: boolean;
  /** Points kept per redraw; default two per pixel of width. */
  maxPoints?: number;
  /** Axis text and grid colours and the axis font size (themes, large text); uPlot's defaults are black on white, 12 px. */
  axes?: AxisStyle;
}

export interface AxisStyle {
  /** Tick label colour. */
  text: string;
  /** Grid and tick line colour. */
  grid: string;
  /** Tick label size in CSS px. */
  fontPx: number;
}

/** Axis colours per palette (the light one is uPlot's look). */
export const AXIS_COLORS: Readonly<Record<'light' | 'dark', Omit<AxisStyle, 'fontPx'>>> = {
  light: { text: '#000000', grid: 'rgba(0,0,0,0.07)' },
  dark: { text: '#BAC2CE', grid: 'rgba(255,255,255,0.1)' },
};

function axisOptions(label: string, style: AxisStyle | undefined): uPlot.Axis {
  if (!style) return { label };
  const font = `${style.fontPx}px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`;
  const line = { stroke: style.grid };
  return { label, stroke: style.text, grid: line, ticks: line, font, labelFont: `bold ${font}` };
}

export interface LineChart {
  /** Replace all data; `ys[k]` is aligned with `xs` (null / NaN = gap). */
  setData(xs: ArrayLike<number>, ys: readonly ArrayLike<number | null | undefined>[]): void;
  resize(width: number, height?: number): void;
  destroy(): void;
  readonly plot: uPlot;
}

export function createLineChart(container: HTMLElement, options: LineChartOptions): LineChart {
  const width = options.width ?? (container.clientWidth || 400);
  const opts: uPlot.Options = {
    width,
    height: options.height,
    scales: { x: { time: false }, y: options.logY ? { distr: 3 } : {} },
    axes: [axisOptions(options.xLabel ?? 'step', options.axes), axisOptions(options.yLabel, options.axes)],
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
    series: [
      { label: options.xLabel ?? 'step' },
      ...options.series.map(
        (s): uPlot.Series => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 1.5,
          dash: s.dash,
          spanGaps: true,
          points: { show: false },
        }),
      ),
    ],
  };
  const empty: uPlot.AlignedData = [[], ...options.series.map(() => [] as number[])];
  const plot = new uPlot(opts, empty, container);

  return {
    plot,
    setData(xs, ys) {
      const max = options.maxPoints ?? Math.max(200, 2 * plot.width);
      const d = decimate(xs, ys, max);
      plot.setData([d.xs, ...d.ys] as uPlot.AlignedData);
    },
    resize(w, h) {
      plot.setSize({ width: w, height: h ?? plot.height });
    },
    destroy() {
      plot.destroy();
    },
  };
}

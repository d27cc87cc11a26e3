/**
 * Interactive eq. 2: one slider per op sets α_o; the bars show softmax(α) and the plot shows each
 * op's output (thin) and the blended output ō(x) (thick). Self-contained: it does not touch the
 * live search.
 */
import { useMemo, useState } from 'react';
import { opColor, opDash } from '../../viz/scales';
import { Tex } from '../Tex';
import { blend, blendTex, linePath, TOY_OPS, toySignal } from './relaxation';

const W = 300;
const H = 110;
const LO = -0.6;
const HI = 1.6;

export function RelaxationWidget() {
  const [alpha, setAlpha] = useState<number[]>(() => TOY_OPS.map(() => 0));
  const x = useMemo(() => toySignal(64), []);
  const { p, outputs, mixed } = useMemo(() => blend(alpha, x), [alpha, x]);
  const formula = blendTex(p);

  return (
    <figure className="relax" aria-labelledby="relax-caption">
      <figcaption id="relax-caption">One edge, three candidate ops: set α and watch the blend.</figcaption>
      <div className="relax-rows">
        {TOY_OPS.map((op, k) => (
          <div className="relax-row" key={op.id}>
            <label className="relax-label" htmlFor={`relax-alpha-${op.id}`} title={op.label}>
              <span className="relax-swatch" style={{ background: opColor(op.id) }} aria-hidden="true" />
              {op.short}
            </label>
            <input
              id={`relax-alpha-${op.id}`}
              type="range"
              min={-4}
              max={4}
              step={0.1}
              value={alpha[k]}
              aria-label={`α of ${op.short}`}
              aria-valuetext={`α ${alpha[k].toFixed(1)}, weight ${p[k].toFixed(3)}`}
              onChange={(e) => {
                const v = Number(e.target.value);
                setAlpha((a) => a.map((old, i) => (i === k ? v : old)));
              }}
            />
            <span className="relax-alpha" aria-hidden="true">
              {alpha[k].toFixed(1)}
            </span>
            <span className="relax-bar" aria-hidden="true">
              <span style={{ width: `${(p[k] * 100).toFixed(1)}%`, background: opColor(op.id) }} />
            </span>
            <output className="relax-weight" data-testid={`relax-weight-${op.id}`} aria-label={`softmax weight of ${op.short}`}>
              {p[k].toFixed(3)}
            </output>
          </div>
        ))}
      </div>
      <svg className="relax-plot" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Each op's output (thin) and their softmax blend (thick)">
        <line x1={0} x2={W} y1={H - ((0 - LO) / (HI - LO)) * H} y2={H - ((0 - LO) / (HI - LO)) * H} stroke="#999" strokeWidth={0.5} />
        {outputs.map((ys, k) => (
          <path
            key={TOY_OPS[k].id}
            d={linePath(ys, W, H, LO, HI)}
            fill="none"
            stroke={opColor(TOY_OPS[k].id)}
            strokeWidth={1}
            strokeDasharray={opDash(TOY_OPS[k].id) || undefined}
            opacity={0.55}
          />
        ))}
        <path d={linePath(mixed, W, H, LO, HI)} fill="none" stroke="currentColor" strokeWidth={2.5} data-testid="relax-mixed" />
      </svg>
      <Tex tex={formula} display />
      <button type="button" className="link-button" onClick={() => setAlpha(TOY_OPS.map(() => 0))}>
        Reset all α to 0 (uniform)
      </button>
    </figure>
  );
}

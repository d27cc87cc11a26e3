/**
 * "Train this cell": the second half of DARTS (spec §4.4). The chosen genotype (the one derived
 * right now, an imported one, or the paper's DARTS_V1 / V2) is stacked into a discrete network and
 * trained from scratch on the run's dataset in the worker; its held-out test accuracy is compared
 * with K random cells of the same space trained the same way (the paper's random baseline).
 */
import { useState } from 'react';
import type { Genotype } from '../core/genotype';
import { DARTS_V1, DARTS_V2 } from '../core/genotypes';
import { evalNetworkParamCount } from '../core/params';
import { DEFAULT_EVAL_SIZE, estimateEvalBytes, EVAL_BYTES_LIMIT, EVAL_SIZES, evalSizeById } from '../core/evalSizes';
import type { Controller } from './controller';
import { useStore } from './createStore';
import { useDerivedJson } from './useDerivedJson';
import { data, evaluation, type EvalCandidateResult } from './dataStores';
import { live, run, settings } from './store';

type Source = 'derived' | 'imported' | 'DARTS_V2' | 'DARTS_V1';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Training loss (and accuracy) of the candidate being trained, as a small SVG chart. */
function LiveCurve({ curve }: { curve: { step: number; loss: number; acc: number }[] }) {
  if (curve.length < 2) return null;
  const W = 260;
  const H = 70;
  const maxStep = curve[curve.length - 1].step;
  const maxLoss = Math.max(...curve.map((p) => p.loss), 1e-6);
  const x = (s: number) => (W * s) / maxStep;
  const line = (f: (p: (typeof curve)[number]) => number) => curve.map((p) => `${x(p.step).toFixed(1)},${(H - H * f(p)).toFixed(1)}`).join(' ');
  const last = curve[curve.length - 1];
  return (
    <figure className="eval-curve">
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`Training loss ${last.loss.toFixed(3)}, batch accuracy ${pct(last.acc)} at batch ${last.step}`}>
        <polyline points={line((p) => p.loss / maxLoss)} fill="none" stroke="var(--accent)" strokeWidth="1.5" />
        <polyline points={line((p) => p.acc)} fill="none" stroke="var(--ok)" strokeWidth="1.5" strokeDasharray="4 2" />
      </svg>
      <figcaption>
        <span className="key-line">━</span> loss {last.loss.toFixed(3)} <span className="key-dash">╌</span> batch accuracy {pct(last.acc)}
      </figcaption>
    </figure>
  );
}

/** The derived cell's test accuracy against the random cells', one labelled row each. */
function ResultsChart({ results }: { results: EvalCandidateResult[] }) {
  const rows = [...results].sort((a, b) => a.candidate - b.candidate);
  const W = 260;
  const rowH = 18;
  const minAcc = Math.min(0.1, ...rows.map((r) => r.testAccuracy));
  const x = (a: number) => 90 + ((W - 130) * (a - minAcc)) / Math.max(1e-6, 1 - minAcc);
  return (
    <svg className="eval-results-chart" viewBox={`0 0 ${W} ${rows.length * rowH + 6}`} width={W} role="img" aria-label="Test accuracy of each trained cell">
      {rows.map((r, i) => (
        <g key={r.candidate} transform={`translate(0 ${i * rowH + 4})`}>
          <text x="0" y="11" fontSize="11" fill="currentColor">
            {r.candidate === 0 ? `★ ${r.label}` : r.label}
          </text>
          <rect x="90" y="3" width={Math.max(1, x(r.testAccuracy) - 90)} height="9" fill={r.candidate === 0 ? 'var(--accent)' : 'var(--ink-3)'} />
          <text x={x(r.testAccuracy) + 4} y="11" fontSize="11" fill="currentColor">
            {pct(r.testAccuracy)}
          </text>
        </g>
      ))}
    </svg>
  );
}

/** The "derived" choice names the live step; only this option re-renders per snapshot. */
function DerivedOption() {
  const step = useStore(live, (snap) => snap?.step ?? 0);
  return <option value="derived">{`Derived from the live search (step ${step})`}</option>;
}

export function EvaluatePanel({ controller }: { controller: Controller }) {
  const ev = useStore(evaluation, (e) => e);
  const imported = useStore(settings, (s) => s.imported);
  const config = useStore(run, (r) => r.config);
  const ready = useStore(run, (r) => r.ready);
  const card = useStore(data, (d) => d.card);
  // The genotype, not the step: this panel re-renders only when the derived cell changes.
  const derivedJson = useDerivedJson();
  const [source, setSource] = useState<Source>('derived');
  const [sizeId, setSizeId] = useState(DEFAULT_EVAL_SIZE.id);
  const size = evalSizeById(sizeId) ?? DEFAULT_EVAL_SIZE;
  const [epochs, setEpochs] = useState(String(size.epochs));
  const [randomK, setRandomK] = useState('2');
  const [auxiliary, setAuxiliary] = useState(false);
  const [dropPath, setDropPath] = useState(false);

  const genotypeFor = (s: Source): Genotype | null =>
    s === 'derived' ? (derivedJson ? (JSON.parse(derivedJson) as Genotype) : null) : s === 'imported' ? imported : s === 'DARTS_V2' ? DARTS_V2 : DARTS_V1;

  const epochsN = Number(epochs);
  const kN = Number(randomK);
  const bytes = config ? estimateEvalBytes({ ...size, height: config.height, width: config.width }) : 0;
  const tooBig = bytes > EVAL_BYTES_LIMIT;
  const valid = !tooBig && Number.isInteger(epochsN) && epochsN >= 1 && epochsN <= 1000 && Number.isInteger(kN) && kN >= 0 && kN <= 10;
  const preview = genotypeFor(source);
  const params =
    preview && config
      ? evalNetworkParamCount(preview, { C: size.C, layers: size.layers, inChannels: config.inChannels, numClasses: config.numClasses })
      : null;

  const start = () => {
    const genotype = genotypeFor(source);
    if (!genotype || !config || !valid) return;
    const step = live.latest()?.step ?? 0;
    controller.evaluate({
      label: source === 'derived' ? `derived (step ${step})` : source === 'imported' ? 'imported' : source,
      genotype,
      C: size.C,
      layers: size.layers,
      epochs: epochsN,
      batchSize: size.batchSize,
      ...(size.trainSize ? { trainSize: size.trainSize } : {}),
      ...(size.testSize ? { testSize: size.testSize } : {}),
      auxiliary,
      dropPath: dropPath ? 0.2 : 0,
      randomK: kN,
      seed: config.seed,
    });
  };

  const p = ev.progress;
  const state = ev.running ? 'running' : ev.results.length > 0 || ev.error ? 'done' : 'idle';
  const main = ev.results.find((r) => r.candidate === 0);
  const randoms = ev.results.filter((r) => r.candidate > 0);

  return (
    <section className="panel evaluate-panel" aria-labelledby="evaluate-title" data-eval-state={state} data-control="evaluate">
      <h2 id="evaluate-title">Train this cell</h2>
      <p className="panel-note">
        DARTS judges a cell by training it from scratch (spec §4.4): one op per edge, affine BN, no MixedOp. The search pauses meanwhile. Data:{' '}
        {card?.name ?? '…'}, {config ? `${config.height}×${config.width}` : ''}.
      </p>
      <div className="field">
        <label htmlFor="eval-source">Cell</label>
        <select id="eval-source" value={source} onChange={(e) => setSource(e.target.value as Source)} disabled={ev.running}>
          <DerivedOption />
          <option value="imported" disabled={!imported}>
            Imported genotype{imported ? '' : ' (none)'}
          </option>
          <option value="DARTS_V2">DARTS_V2 (the paper&apos;s cell)</option>
          <option value="DARTS_V1">DARTS_V1 (first order)</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="eval-size">Size</label>
        <select
          id="eval-size"
          value={sizeId}
          disabled={ev.running}
          onChange={(e) => {
            const s = evalSizeById(e.target.value) ?? DEFAULT_EVAL_SIZE;
            setSizeId(s.id);
            setEpochs(String(s.epochs));
          }}
        >
          {EVAL_SIZES.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <p className="panel-note">
        {size.description}
        {params !== null && ` ${params.toLocaleString('en-US')} parameters, about ${(bytes / 1e9).toFixed(1)} GB of tensors while training.`}
      </p>
      {tooBig && (
        <p className="upload-error" role="alert">
          This size needs about {(bytes / 1e9).toFixed(0)} GB, more than a browser tab can hold (wasm stops at 4 GB). Use the CLI on a large
          machine: npm run -s darts -- evaluate --C {size.C} --layers {size.layers}.
        </p>
      )}
      <div className="field-row">
        <label>
          Epochs
          <input type="number" min={1} max={1000} value={epochs} disabled={ev.running} onChange={(e) => setEpochs(e.target.value)} />
        </label>
        <label>
          Random cells
          <input type="number" min={0} max={10} value={randomK} disabled={ev.running} onChange={(e) => setRandomK(e.target.value)} />
        </label>
      </div>
      <div className="field-row">
        <label className="toggle">
          <input type="checkbox" checked={auxiliary} disabled={ev.running} onChange={(e) => setAuxiliary(e.target.checked)} />
          Auxiliary head
        </label>
        <label className="toggle">
          <input type="checkbox" checked={dropPath} disabled={ev.running} onChange={(e) => setDropPath(e.target.checked)} />
          Drop-path 0.2
        </label>
      </div>
      <div className="button-row">
        {ev.running ? (
          <button type="button" onClick={() => controller.cancelEvaluate()}>
            Stop training
          </button>
        ) : (
          <button type="button" className="primary" disabled={!ready || !preview || !valid} onClick={start}>
            Train this cell
          </button>
        )}
      </div>
      {ev.running && p && (
        <div className="eval-progress" role="status">
          <progress max={p.totalSteps} value={p.step} aria-label="Training progress" />
          <span>
            {p.candidate === 0 ? 'Chosen cell' : `Random cell ${p.candidate}/${p.candidates - 1}`}: epoch {p.epoch + 1}, batch {p.step}/{p.totalSteps}
          </span>
        </div>
      )}
      {ev.running && <LiveCurve curve={ev.curve} />}
      {ev.error && (
        <p className="upload-error" role="alert">
          Training stopped: {ev.error}
        </p>
      )}
      {ev.cancelled && <p className="panel-note">Stopped. The search can go on.</p>}
      {main && (
        <p
          className="eval-result"
          data-test-accuracy={main.testAccuracy.toFixed(4)}
          data-ms-per-epoch={Math.round(main.msPerEpoch)}
          data-peak-bytes={main.peakBytes}
          data-params={main.params}
        >
          <strong>Test accuracy {pct(main.testAccuracy)}</strong> on {main.testImages.toLocaleString('en-US')} held-out images ·{' '}
          {main.params.toLocaleString('en-US')} parameters · {(main.msPerEpoch / 1000).toFixed(1)} s per epoch over {main.trainImages.toLocaleString('en-US')}{' '}
          images
          {randoms.length > 0 && ` · beats ${randoms.filter((r) => main.testAccuracy > r.testAccuracy).length} of ${randoms.length} random cells`}
        </p>
      )}
      {ev.results.length > 0 && <ResultsChart results={ev.results} />}
      {!ev.running && ev.finishedMs !== null && <p className="panel-note">Finished in {(ev.finishedMs / 1000).toFixed(0)} s.</p>}
    </section>
  );
}

import { useMemo } from 'react';
import { METHOD_INFO } from '../core/methods';
import type { BackendName } from '../engine/types';
import { BACKEND_ORDER } from '../worker/protocol';
import { AppearanceControls } from './AppearanceControls';
import { ClassroomButton } from './ClassroomPanel';
import { CommandButton } from './CommandButton';
import type { Controller } from './controller';
import { useStore } from './createStore';
import { live, run } from './store';

const BACKEND_LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU (JS)' };

function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}

function fmtMetric(v: number | undefined, pct = false): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  return pct ? `${(v * 100).toFixed(1)}%` : v.toFixed(3);
}

/** Step, epoch, speed and losses: the only part of the header that updates at snapshot rate. */
function LiveReadouts() {
  const step = useStore(live, (s) => s?.step ?? 0);
  const epoch = useStore(live, (s) => s?.epoch ?? 0);
  const rate = useStore(live, (s) => s?.stepsPerSec ?? 0);
  const trainLoss = useStore(live, (s) => s?.trainLoss);
  const valAcc = useStore(live, (s) => s?.valAcc);
  return (
    <>
      <div className="readout">
        <span className="readout-label">step</span>
        <output className="readout-value" aria-label="steps done" data-testid="step-counter">
          {fmtInt(step)}
        </output>
      </div>
      <div className="readout">
        <span className="readout-label">epoch</span>
        <span className="readout-value">{epoch}</span>
      </div>
      <div className="readout">
        <span className="readout-label">steps/s</span>
        <output className="readout-value" aria-label="steps per second" data-testid="steps-per-sec">
          {rate > 0 ? (rate >= 10 ? rate.toFixed(0) : rate.toFixed(2)) : '–'}
        </output>
      </div>
      <div className="readout">
        <span className="readout-label">train loss</span>
        <span className="readout-value">{fmtMetric(trainLoss)}</span>
      </div>
      <div className="readout">
        <span className="readout-label">val acc</span>
        <span className="readout-value">{fmtMetric(valAcc, true)}</span>
      </div>
    </>
  );
}

/** The search method of the run on screen (a projected screen says which method is watched). */
function MethodReadout({ controller }: { controller: Controller }) {
  const method = useStore(run, (r) => r.config?.method) ?? controller.currentConfig.method;
  const info = METHOD_INFO[method];
  return (
    <div className="readout method" title={`${info.label}: ${info.summary} (${info.paper})`}>
      <span className="readout-label">method</span>
      <span className="readout-value" data-testid="method-readout" data-method={method}>
        {info.label}
      </span>
    </div>
  );
}

function BackendBadge({ controller }: { controller: Controller }) {
  const backend = useStore(run, (r) => r.backend);
  const reasons = useStore(run, (r) => r.fallbackReasons);
  const ready = useStore(run, (r) => r.ready);
  const why = reasons.length ? `Fallback: ${reasons.join(' · ')}` : 'First backend that passed the self-check';
  return (
    <div className="readout backend">
      <label className="readout-label" htmlFor="backend-select">
        backend
      </label>
      <div className="backend-row">
        <span
          className={`badge badge-${backend ?? 'none'}`}
          data-testid="backend-badge"
          title={why}
          aria-describedby={reasons.length ? 'fallback-reasons' : undefined}
        >
          {backend ? BACKEND_LABEL[backend] : '…'}
        </span>
        <select
          id="backend-select"
          data-control="backend"
          aria-label="Move the run to another backend"
          title="Move the run to another backend (weights, α and optimiser state come along)"
          value=""
          disabled={!ready}
          onChange={(e) => {
            if (e.target.value) controller.setBackend(e.target.value as BackendName);
          }}
        >
          <option value="" disabled hidden>
            switch…
          </option>
          {BACKEND_ORDER.map((b) => (
            <option key={b} value={b} disabled={b === backend}>
              {BACKEND_LABEL[b]}
              {b === backend ? ' (current)' : ''}
            </option>
          ))}
        </select>
      </div>
      {reasons.length > 0 && (
        <span id="fallback-reasons" className="fallback" title={reasons.join('\n')}>
          skipped {reasons.map((r) => r.split(':')[0]).join(', ')} (why?)
          <span className="sr-only">: {reasons.join('; ')}</span>
        </span>
      )}
    </div>
  );
}

export function Header({ controller }: { controller: Controller }) {
  const params = useStore(run, (r) => r.paramCount);
  const ctx = useMemo(() => ({ controller }), [controller]);
  return (
    <header className="app-header">
      <div className="brand">
        <h1>DARTS Playground</h1>
        <p className="tagline">differentiable architecture search, live in your browser</p>
      </div>
      <div className="readouts" aria-label="run status">
        <LiveReadouts />
        <div className="readout">
          <span className="readout-label">params</span>
          <span className="readout-value" data-testid="param-count">
            {params === null ? '–' : fmtInt(params)}
          </span>
        </div>
        <MethodReadout controller={controller} />
        <BackendBadge controller={controller} />
      </div>
      <AppearanceControls />
      <ClassroomButton controller={controller} />
      <CommandButton id="tour" ctx={ctx} className="help-button" />
      <CommandButton id="help" ctx={ctx} icon="? " className="help-button" />
    </header>
  );
}

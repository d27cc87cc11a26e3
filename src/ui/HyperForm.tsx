/**
 * Hyperparameters. The form edits a draft; every change is validated by core's `validateConfig`
 * and each problem is shown next to its field. Optimiser settings apply to the live run;
 * structural ones (C, layers, nodes, ops, seed, dataset, the search method and its K) rebuild the
 * supernet, so they ask first.
 *
 * The search method (core/methods.ts) sits next to the DARTS order. A method's needs are never
 * fixed behind the user's back: choosing one that the rest of the draft does not satisfy shows
 * validateConfig's message at the field to change (PC-DARTS' C/K rule under the K field, which
 * appears only for PC-DARTS; GDAS' first order under the order) and keeps "Apply settings" off
 * until it is satisfied.
 */
import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import type { SearchConfig } from '../core/config';
import { METHOD_INFO, METHODS, type MethodName } from '../core/methods';
import { getPreset, getPresetInfo, isPresetName, PRESET_NAMES } from '../core/presets';
import { ALL_OPS, OP_LABELS, type OpName } from '../core/primitives';
import { ConfigError, validateConfig, type ConfigIssue } from '../core/validateConfig';
import { ConfirmDialog } from './ConfirmDialog';
import type { Controller } from './controller';
import { useStore } from './createStore';
import { run } from './store';
import { applyPreset } from './presetChoice';

/** The text fields of the form; values stay strings so half-typed numbers can be shown. */
const TEXT_FIELDS = ['lr', 'archLr', 'batchSize', 'pcK', 'seed', 'C', 'layers', 'steps'] as const;
type TextField = (typeof TEXT_FIELDS)[number];

interface Draft {
  text: Record<TextField, string>;
  order: 1 | 2;
  method: MethodName;
  ops: OpName[];
  dataset: 'synthetic';
}

const LABELS: Record<TextField, string> = {
  lr: 'Weight learning rate',
  archLr: 'α learning rate',
  batchSize: 'Batch size',
  pcK: 'PC-DARTS K',
  seed: 'Seed',
  C: 'Channels C',
  layers: 'Cells (layers)',
  steps: 'Nodes per cell',
};

/** Each text field's name in the URL table (src/core/urlSchema.ts), its `data-control`. */
const CONTROL: Record<TextField, string> = {
  lr: 'lr',
  archLr: 'archLr',
  batchSize: 'batch',
  pcK: 'pcK',
  seed: 'seed',
  C: 'C',
  layers: 'layers',
  steps: 'nodes',
};

const HELP: Partial<Record<TextField, string>> = {
  lr: 'SGD on the weights, cosine-annealed (0.025 in the paper)',
  archLr: 'Adam on α (3e-4 in the paper)',
  pcK: '1/K of each edge’s channels go through the ops (4 in the paper’s code); C must be a multiple of 2·K',
  steps: 'intermediate nodes; each takes 2 inputs in the derived cell',
};

function draftFrom(c: SearchConfig): Draft {
  return {
    text: {
      lr: String(c.lr),
      archLr: String(c.archLr),
      batchSize: String(c.batchSize),
      pcK: String(c.pcK),
      seed: String(c.seed),
      C: String(c.C),
      layers: String(c.layers),
      steps: String(c.steps),
    },
    order: c.order,
    method: c.method,
    ops: [...c.ops],
    dataset: 'synthetic',
  };
}

const toNumber = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));

/** Validate the draft on top of the base config; returns the config or the issues. */
function check(base: SearchConfig, d: Draft): { config: SearchConfig | null; issues: ConfigIssue[] } {
  const steps = toNumber(d.text.steps);
  const candidate = {
    ...base,
    lr: toNumber(d.text.lr),
    archLr: toNumber(d.text.archLr),
    batchSize: toNumber(d.text.batchSize),
    seed: toNumber(d.text.seed),
    C: toNumber(d.text.C),
    layers: toNumber(d.text.layers),
    steps,
    // The cell output concatenates all nodes when the base did (the reference: multiplier = steps).
    multiplier: base.multiplier === base.steps ? steps : base.multiplier,
    order: d.order,
    method: d.method,
    // K is read by PC-DARTS only, and its field is shown only then: a stale K cannot block another method.
    pcK: d.method === 'pc-darts' ? toNumber(d.text.pcK) : base.pcK,
    ops: d.ops,
  };
  try {
    return { config: validateConfig(candidate), issues: [] };
  } catch (e) {
    if (e instanceof ConfigError) return { config: null, issues: e.issues };
    throw e;
  }
}

function Field({
  name,
  control,
  label,
  value,
  error,
  help,
  onChange,
}: {
  name: string;
  /** The URL table's name of this control (data-control, for classroom links that hide it). */
  control: string;
  label: string;
  value: string;
  error?: string;
  help?: string;
  onChange: (v: string) => void;
}) {
  const id = useId();
  return (
    <div className={`field${error ? ' invalid' : ''}`} data-control={control}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        spellCheck={false}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : help ? `${id}-help` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {error ? (
        <span id={`${id}-err`} className="field-error" data-field-error={name}>
          {error}
        </span>
      ) : help ? (
        <span id={`${id}-help`} className="field-help">
          {help}
        </span>
      ) : null}
    </div>
  );
}

function Section({ title, control, children }: { title: string; control: string; children: ReactNode }) {
  return (
    <fieldset className="form-section" data-control={control}>
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}

export function HyperForm({ controller }: { controller: Controller }) {
  const runConfig = useStore(run, (r) => r.config);
  const [base, setBase] = useState<SearchConfig>(() => controller.currentConfig);
  const [draft, setDraft] = useState<Draft>(() => draftFrom(controller.currentConfig));
  const [dirty, setDirty] = useState(false);
  const [confirm, setConfirm] = useState<SearchConfig | null>(null);
  const [preset, setPreset] = useState('');

  // Follow the run (a new seed, a preset applied elsewhere) unless the user is editing.
  useEffect(() => {
    if (runConfig && !dirty) {
      setBase(runConfig);
      setDraft(draftFrom(runConfig));
    }
  }, [runConfig, dirty]);

  const { config, issues } = useMemo(() => check(base, draft), [base, draft]);
  const byField = new Map<string, string>();
  for (const i of issues) if (!byField.has(i.field)) byField.set(i.field, i.message);
  const shown = new Set<string>([...TEXT_FIELDS, 'ops', 'order', 'multiplier', 'method']);
  const methodId = useId();
  const methodInfo = METHOD_INFO[draft.method];
  const other = issues.filter((i) => !shown.has(i.field));

  const edit = (f: (d: Draft) => Draft) => {
    setDraft(f);
    setDirty(true);
  };

  const loadPreset = (name: string) => {
    setPreset(name);
    if (!name) return;
    const p = getPreset(name);
    setBase(p);
    setDraft(draftFrom(p));
    setDirty(true);
  };

  const apply = () => {
    if (!config) return;
    if (controller.needsReset(config)) setConfirm(config);
    else commit(config);
  };
  const commit = (c: SearchConfig) => {
    if (isPresetName(preset)) applyPreset(controller, preset, c);
    else controller.applyConfig(c);
    setConfirm(null);
    setDirty(false);
    setPreset('');
  };
  const revert = () => {
    const c = runConfig ?? controller.currentConfig;
    setBase(c);
    setDraft(draftFrom(c));
    setDirty(false);
    setPreset('');
  };

  const text = (f: TextField) => (
    <Field
      key={f}
      name={f}
      control={CONTROL[f]}
      label={LABELS[f]}
      value={draft.text[f]}
      error={byField.get(f) ?? (f === 'steps' ? byField.get('multiplier') : undefined)}
      help={HELP[f]}
      onChange={(v) => edit((d) => ({ ...d, text: { ...d.text, [f]: v } }))}
    />
  );

  const opsError = byField.get('ops');
  return (
    <form
      className="hyper-form"
      aria-label="Hyperparameters"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <div className="field" data-control="preset">
        <label htmlFor="preset-select">Preset</label>
        <select
          id="preset-select"
          value={preset}
          aria-describedby={isPresetName(preset) ? 'preset-help' : undefined}
          onChange={(e) => loadPreset(e.target.value)}
        >
          <option value="">(choose to load)</option>
          {PRESET_NAMES.map((n) => (
            <option key={n} value={n} title={getPresetInfo(n).description}>
              {getPresetInfo(n).label}
            </option>
          ))}
        </select>
        {isPresetName(preset) && (
          <span id="preset-help" className="field-help">
            {getPresetInfo(preset).description}
          </span>
        )}
      </div>
      <Section title="Optimiser (applies live)" control="optimiser">
        {text('lr')}
        {text('archLr')}
        {text('batchSize')}
        <div className={`field${byField.has('method') ? ' invalid' : ''}`} data-control="method">
          <label htmlFor={methodId}>Search method</label>
          <select
            id={methodId}
            name="method"
            value={draft.method}
            aria-describedby={`${methodId}-help`}
            aria-invalid={byField.has('method') ? true : undefined}
            onChange={(e) => edit((d) => ({ ...d, method: e.target.value as MethodName }))}
          >
            {METHODS.map((m) => (
              <option key={m} value={m} title={METHOD_INFO[m].summary}>
                {METHOD_INFO[m].label}
              </option>
            ))}
          </select>
          {byField.has('method') ? (
            <span id={`${methodId}-help`} className="field-error" data-field-error="method">
              {byField.get('method')}
            </span>
          ) : (
            <span id={`${methodId}-help`} className="field-help" data-testid="method-help">
              {methodInfo.summary} (<cite>{methodInfo.paper}</cite>.) A new method restarts the search.
            </span>
          )}
        </div>
        {draft.method === 'pc-darts' && text('pcK')}
        <div className={`field${byField.has('order') ? ' invalid' : ''}`} role="radiogroup" aria-label="DARTS order" data-control="order">
          <span className="label">Order</span>
          <label className="radio">
            <input type="radio" name="order" checked={draft.order === 1} onChange={() => edit((d) => ({ ...d, order: 1 }))} />
            1st (fast)
          </label>
          <label className="radio">
            <input type="radio" name="order" checked={draft.order === 2} onChange={() => edit((d) => ({ ...d, order: 2 }))} />
            2nd (unrolled)
          </label>
          {byField.has('order') && (
            <span className="field-error" data-field-error="order">
              {byField.get('order')}
            </span>
          )}
        </div>
      </Section>
      <Section title="Search space (rebuilds the run)" control="search-space">
        {text('seed')}
        {text('C')}
        {text('layers')}
        {text('steps')}
        <div className={`field ops${opsError ? ' invalid' : ''}`} role="group" aria-label="Candidate ops" data-control="ops">
          <span className="label">Candidate ops</span>
          <div className="ops-grid">
            {ALL_OPS.map((op) => (
              <label key={op} className="check" title={op}>
                <input
                  type="checkbox"
                  name="ops"
                  value={op}
                  checked={draft.ops.includes(op)}
                  onChange={(e) =>
                    edit((d) => ({
                      ...d,
                      ops: e.target.checked ? [...d.ops, op] : d.ops.filter((o) => o !== op),
                    }))
                  }
                />
                {OP_LABELS[op]}
              </label>
            ))}
          </div>
          {opsError && (
            <span className="field-error" data-field-error="ops">
              {opsError}
            </span>
          )}
        </div>
      </Section>
      {other.length > 0 && (
        <ul className="form-errors">
          {other.map((i) => (
            <li key={i.field + i.message} className="field-error">
              {i.field}: {i.message}
            </li>
          ))}
        </ul>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!config || !dirty}>
          Apply settings
        </button>
        <button type="button" disabled={!dirty} onClick={revert}>
          Revert
        </button>
      </div>
      {confirm && (
        <ConfirmDialog
          title="Rebuild the supernet?"
          confirmLabel="Rebuild and restart"
          cancelLabel="Keep the current run"
          onConfirm={() => commit(confirm)}
          onCancel={() => setConfirm(null)}
        >
          These changes alter the network or its data, so the search restarts from step 0 with a freshly seeded
          supernet. The current run is discarded (export its genotype first if you need it).
        </ConfirmDialog>
      )}
    </form>
  );
}

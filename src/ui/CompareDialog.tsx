/**
 * "Compare runs" (issue 12 item 4): two runs side by side in a modal dialog. For run A and run B:
 * both cells at a shared step (or each run's latest frame), labelled with method, seed and step;
 * their trajectories overlaid on one chart; and the two derived genotypes as one table with the
 * differences marked. The logic is in compare.ts and core/genotypeDiff.ts; state in compareStore.ts.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useModalDialog } from './hooks';
import { PRESET_NAMES } from '../core/presets';
import { numEdges } from '../core/searchSpace';
import { CompareCell } from './CompareCell';
import { CompareChart } from './CompareChart';
import { edgeName, frameGenotype, frameIndexAtStep, lastStep, runTitle, type CompareRun } from './compare';
import { compare, CURRENT, currentName, currentRun, loadBuiltinReplay, loadRunFile, openCompare, runById, type CompareState } from './compareStore';
import { useStore } from './createStore';
import { GenotypeDiffTable } from './GenotypeDiffTable';
import { replayState } from './replay';
import { live } from './store';
import './compare.css';

/** The run on screen refreshes at most this often while the dialog is open (it copies the history). */
const CURRENT_REFRESH_MS = 500;

/** The run on screen as a CompareRun, refreshed while it grows (only when a slot shows it). */
function useCurrentRun(active: boolean): CompareRun | null {
  const [cur, setCur] = useState<CompareRun | null>(() => (active ? currentRun() : null));
  useEffect(() => {
    if (!active) return;
    setCur(currentRun());
    let timer: ReturnType<typeof setTimeout> | null = null;
    const schedule = () => {
      if (timer === null) timer = setTimeout(() => ((timer = null), setCur(currentRun())), CURRENT_REFRESH_MS);
    };
    const offLive = live.subscribe(schedule);
    const offReplay = replayState.subscribe(schedule);
    return () => {
      offLive();
      offReplay();
      if (timer !== null) clearTimeout(timer);
    };
  }, [active]);
  return active ? cur : null;
}

function RunPicker({ slot, value, runs }: { slot: 'A' | 'B'; value: string | null; runs: CompareRun[] }) {
  const id = useId();
  const set = (v: string) => compare.set((s) => (slot === 'A' ? { ...s, a: v } : { ...s, b: v || null }));
  return (
    <label className="compare-picker" htmlFor={id}>
      <span>Run {slot}</span>
      <select id={id} value={value ?? ''} onChange={(e) => set(e.target.value)} data-testid={`compare-pick-${slot.toLowerCase()}`}>
        {slot === 'B' && <option value="">(none: pin a run or load one)</option>}
        <option value={CURRENT}>{currentName()}</option>
        {runs.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function Sources({ s }: { s: CompareState }) {
  const [preset, setPreset] = useState<string>('skip-collapse');
  const fileRef = useRef<HTMLInputElement>(null);
  const id = useId();
  return (
    <div className="compare-sources">
      <RunPicker slot="A" value={s.a} runs={s.runs} />
      <RunPicker slot="B" value={s.b} runs={s.runs} />
      <div className="compare-load" role="group" aria-label="Load a run as run B">
        <label htmlFor={id}>Recorded run</label>
        <select id={id} value={preset} onChange={(e) => setPreset(e.target.value)} data-testid="compare-replay-choice">
          {PRESET_NAMES.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void loadBuiltinReplay(preset)}>
          Load as B
        </button>
        <button type="button" onClick={() => fileRef.current?.click()} title="A replay file (darts record), or any run file that decodes to one">
          Open file…
        </button>
        <input
          ref={fileRef}
          type="file"
          accept=".json,.txt,.log,application/json,text/plain"
          hidden
          data-testid="compare-file"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) loadRunFile(await f.text(), f.name);
          }}
        />
      </div>
      {s.message && (
        <p className={`compare-message ${s.message.kind}`} role="status" data-testid="compare-message">
          {s.message.text}
        </p>
      )}
    </div>
  );
}

function StepBar({ step, end }: { step: number | null; end: number }) {
  const id = useId();
  const set = (v: number | null) => compare.set((s) => ({ ...s, step: v }));
  return (
    <div className="compare-steps">
      <label htmlFor={id}>At step</label>
      <input
        id={id}
        type="range"
        min={0}
        max={Math.max(1, end)}
        step={1}
        value={step ?? end}
        onChange={(e) => set(Number(e.target.value))}
        aria-valuetext={step === null ? `latest (step ${end})` : `step ${step}`}
        data-testid="compare-step"
      />
      <output htmlFor={id}>{step === null ? `latest (${end})` : step}</output>
      <button type="button" aria-pressed={step === null} onClick={() => set(null)}>
        Latest
      </button>
    </div>
  );
}

function RunColumn({ slot, run, index }: { slot: 'A' | 'B'; run: CompareRun | null; index: number }) {
  const frame = run && index >= 0 ? run.frames[index] : null;
  const genotype = run && frame ? frameGenotype(run, index) : null;
  return (
    <section className="compare-run" aria-label={`Run ${slot}`} data-testid={`compare-run-${slot.toLowerCase()}`}>
      <h3>
        <span className="compare-slot">{slot}</span> {run ? run.name : 'no run chosen'}
      </h3>
      {run && frame ? (
        <>
          <p className="compare-label" data-testid={`compare-label-${slot.toLowerCase()}`} data-step={frame.step}>
            {runTitle(run)} · step {frame.step} of {run.frames[run.frames.length - 1].step} · {run.config.ops.length} ops
          </p>
          <div className="compare-cells">
            <CompareCell slot={slot} kind="normal" run={run} index={index} genotype={genotype} />
            <CompareCell slot={slot} kind="reduce" run={run} index={index} genotype={genotype} />
          </div>
        </>
      ) : (
        <p className="panel-note">{run ? 'This run has no frames yet.' : 'Pin this run, or load a recorded run, to compare with it.'}</p>
      )}
    </section>
  );
}

function ModePicker({ s, a, b }: { s: CompareState; a: CompareRun | null; b: CompareRun | null }) {
  const mode = s.mode;
  const steps = Math.max(a?.config.steps ?? 0, b?.config.steps ?? 0, 1);
  const set = (m: CompareState['mode']) => compare.set((x) => ({ ...x, mode: m }));
  return (
    <div className="compare-mode" role="group" aria-label="What the chart plots">
      <select
        aria-label="Chart"
        value={mode.kind}
        onChange={(e) => set(e.target.value === 'entropy' ? { kind: 'entropy' } : { kind: 'edge', cell: 'normal', row: 0 })}
      >
        <option value="entropy">Edge entropy</option>
        <option value="edge">softmax(α) of one edge</option>
      </select>
      {mode.kind === 'edge' && (
        <>
          <select aria-label="Cell" value={mode.cell} onChange={(e) => set({ ...mode, cell: e.target.value as 'normal' | 'reduce' })}>
            <option value="normal">normal</option>
            <option value="reduce">reduction</option>
          </select>
          <select aria-label="Edge" value={mode.row} onChange={(e) => set({ ...mode, row: Number(e.target.value) })}>
            {Array.from({ length: numEdges(steps) }, (_, r) => (
              <option key={r} value={r}>
                {edgeName(r, steps)}
              </option>
            ))}
          </select>
        </>
      )}
    </div>
  );
}

function CompareBody({ onClose }: { onClose: () => void }) {
  const ref = useModalDialog();
  const titleId = useId();
  const s = useStore(compare, (x) => x);
  const current = useCurrentRun(s.a === CURRENT || s.b === CURRENT);
  const a = s.a === CURRENT ? current : runById(s.a);
  const b = s.b === CURRENT ? current : runById(s.b);
  const end = lastStep(a, b);
  const ia = a ? frameIndexAtStep(a.frames, s.step) : -1;
  const ib = b ? frameIndexAtStep(b.frames, s.step) : -1;


  return (
    <dialog
      ref={ref}
      className="dialog compare-dialog"
      aria-labelledby={titleId}
      data-testid="compare-view"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="compare-head">
        <h2 id={titleId}>Compare runs</h2>
        <button type="button" className="primary" onClick={onClose}>
          Close
        </button>
      </div>
      <Sources s={s} />
      <StepBar step={s.step} end={end} />
      <div className="compare-runs">
        <RunColumn slot="A" run={a} index={ia} />
        <RunColumn slot="B" run={b} index={ib} />
      </div>
      <div className="compare-bottom">
        <div className="compare-traj">
          <ModePicker s={s} a={a} b={b} />
          <CompareChart a={a} b={b} mode={s.mode} />
        </div>
        <GenotypeDiffTable a={a && ia >= 0 ? frameGenotype(a, ia) : null} b={b && ib >= 0 ? frameGenotype(b, ib) : null} />
      </div>
    </dialog>
  );
}

/** Mount once (App.tsx): shows the dialog while `compare.open`. */
export function CompareDialog() {
  const open = useStore(compare, (x) => x.open);
  return open ? <CompareBody onClose={() => openCompare(false)} /> : null;
}

/**
 * Slow motion: one DARTS iteration (spec §3.3), phase by phase. Phase 1 is the α step on a
 * validation batch (controller.step('arch')); afterwards the edges whose softmax moved most are
 * highlighted on the cells. Phase 2 is the w step on a training batch with the updated α
 * (controller.step('weights')); afterwards the loss chart is highlighted. Each phase ends with a
 * one-line narration. The toggle sits in the controls; the panel floats over the workspace.
 */
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { Controller } from './controller';
import { useStore } from './createStore';
import { archNarration, edgeChanges, edgeId, topChanges, weightNarration } from './slowMotion';
import { live, run, type LiveSnapshot } from './store';
import { commandId } from './tour/tourStore';

const HOT = 'data-slowmo-hot';
const INTRO =
  'One DARTS iteration has two phases: first α learns from a validation batch, then w learns from a ' +
  'training batch. Run them one at a time.';

/** The live run's latest snapshot, also while a replay or the history slider holds the view. */
function latest(): LiveSnapshot | null {
  return typeof live.latest === 'function' ? live.latest() : live.get();
}

/** Resolves with the first live snapshot that satisfies `pred`, or null if the run fails or resets. */
function waitForSnapshot(pred: (s: LiveSnapshot) => boolean): Promise<LiveSnapshot | null> {
  return new Promise((resolve) => {
    const offs: (() => void)[] = [];
    const done = (s: LiveSnapshot | null) => {
      offs.forEach((off) => off());
      resolve(s);
    };
    const check = () => {
      const s = latest();
      if (s && pred(s)) done(s);
      else if (run.get().state === 'error' || !run.get().ready) done(null);
    };
    offs.push(live.subscribe(check), run.subscribe(check));
    check();
  });
}

function clearHighlights(): void {
  document.querySelectorAll(`[${HOT}]`).forEach((el) => el.removeAttribute(HOT));
}

function highlight(selector: string): void {
  document.querySelectorAll(selector).forEach((el) => el.setAttribute(HOT, 'true'));
}

function SlowMotionPanel({ controller, onClose }: { controller: Controller; onClose: () => void }) {
  const ready = useStore(run, (r) => r.ready);
  const state = useStore(run, (r) => r.state);
  const [phase, setPhase] = useState<1 | 2>(1);
  const [busy, setBusy] = useState(false);
  const [narration, setNarration] = useState(INTRO);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    if (run.get().state === 'running') controller.pause();
    return () => {
      mounted.current = false;
      clearHighlights();
    };
  }, [controller]);

  const runArch = async () => {
    const before = latest();
    if (!before) return;
    const config = run.get().config;
    clearHighlights();
    setBusy(true);
    setNarration('Phase 1: computing ∇α L_val on a validation batch, then one Adam step on α…');
    controller.step('arch');
    const after = await waitForSnapshot((s) => s.archStep > before.archStep);
    if (!mounted.current) return;
    setBusy(false);
    if (!after || !config) {
      setNarration('The α step did not finish: see the message above, or reset the run.');
      return;
    }
    const ops = config.ops;
    const changes = [
      ...edgeChanges('normal', before.softmaxNormal, after.softmaxNormal, ops, config.steps),
      ...edgeChanges('reduce', before.softmaxReduce, after.softmaxReduce, ops, config.steps),
    ];
    const top = topChanges(changes, 3);
    for (const c of top) highlight(`svg[data-testid="cell-${c.cell}"] g.edge[data-edge="${edgeId(c)}"]`);
    setNarration(archNarration(config.order, after.valLoss, top[0]));
    setPhase(2);
  };

  const runWeights = async () => {
    const before = latest();
    if (!before) return;
    clearHighlights();
    setBusy(true);
    setNarration('Phase 2: computing ∇w L_train on a training batch, then one SGD step on w…');
    controller.step('weights');
    const after = await waitForSnapshot((s) => s.step > before.step);
    if (!mounted.current) return;
    setBusy(false);
    if (!after) {
      setNarration('The w step did not finish: see the message above, or reset the run.');
      return;
    }
    highlight('[data-testid="chart-loss"]');
    setNarration(weightNarration(after.trainLoss));
    setPhase(1);
  };

  const disabled = !ready || busy || state === 'running';
  return (
    <section className="slowmo-panel" role="region" aria-labelledby="slowmo-title" data-phase={phase} data-busy={busy}>
      <header className="slowmo-head">
        <h2 id="slowmo-title">Slow motion: one DARTS iteration</h2>
        <button type="button" className="icon-button" aria-label="Close slow motion" onClick={onClose}>
          ×
        </button>
      </header>
      <ol className="slowmo-phases">
        <li aria-current={phase === 1 ? 'step' : undefined}>α step on a validation batch (Adam on α; w fixed)</li>
        <li aria-current={phase === 2 ? 'step' : undefined}>w step on a training batch (SGD on w; α fixed)</li>
      </ol>
      <p className="slowmo-narration" role="status" aria-live="polite" data-testid="slowmo-narration">
        {narration}
      </p>
      <div className="slowmo-actions">
        {phase === 1 ? (
          <button type="button" className="primary" disabled={disabled} onClick={() => void runArch()}>
            Run phase 1: α step
          </button>
        ) : (
          <button type="button" className="primary" disabled={disabled} onClick={() => void runWeights()}>
            Run phase 2: w step
          </button>
        )}
        {state === 'running' && <span className="slowmo-hint">Pause the search to step.</span>}
      </div>
    </section>
  );
}

/** The toggle for the controls toolbar; the panel is portalled to <body> so it can float. */
export function SlowMotion({ controller }: { controller: Controller }) {
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const on = (e: Event) => {
      if (commandId(e) !== 'slow-motion') return;
      e.preventDefault();
      setOpen((o) => !o);
    };
    window.addEventListener('darts:command', on);
    return () => window.removeEventListener('darts:command', on);
  }, []);

  return (
    <>
      <button
        type="button"
        aria-pressed={open}
        title="Step through one DARTS iteration phase by phase: the α step, then the w step"
        onClick={() => setOpen((o) => !o)}
      >
        Slow motion
      </button>
      {open && createPortal(<SlowMotionPanel controller={controller} onClose={() => setOpen(false)} />, document.body)}
    </>
  );
}

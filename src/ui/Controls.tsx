import { useEffect, useRef, useState } from 'react';
import type { Controller } from './controller';
import { useStore } from './createStore';
import { run, settings } from './store';

/** Speed choices: a cap on steps per second (0 = as fast as the backend goes). */
const SPEEDS: { value: number; label: string }[] = [
  { value: 0, label: 'max' },
  { value: 10, label: '10 steps/s' },
  { value: 4, label: '4 steps/s' },
  { value: 1, label: '1 step/s' },
  { value: 0.5, label: '1 step / 2 s' },
];

function ResetMenu({ controller }: { controller: Controller }) {
  const [open, setOpen] = useState(false);
  const seed = useStore(run, (r) => r.config?.seed);
  const ready = useStore(run, (r) => r.ready);
  const box = useRef<HTMLDivElement>(null);
  const first = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    first.current?.focus();
    const close = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, [open]);

  const choose = (newSeed: boolean) => {
    setOpen(false);
    controller.reset(newSeed);
  };

  return (
    <div
      className="menu-anchor"
      ref={box}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      <button type="button" aria-haspopup="menu" aria-expanded={open} disabled={!ready} onClick={() => setOpen((o) => !o)}>
        Reset
      </button>
      {open && (
        <div className="menu" role="menu" aria-label="Reset the run">
          <button type="button" role="menuitem" ref={first} onClick={() => choose(false)}>
            Same seed{seed !== undefined ? ` (${seed})` : ''}: replay this run
          </button>
          <button type="button" role="menuitem" onClick={() => choose(true)}>
            New seed: another search
          </button>
        </div>
      )}
    </div>
  );
}

/** The three single-step buttons; their labels are the accessible names the tests rely on. */
const STEP_BUTTONS = [
  { kind: 'arch', label: 'Step α', title: 'One architecture step: Adam on α with a validation batch (A)' },
  { kind: 'weights', label: 'Step w', title: 'One weight step: SGD on the network weights with a training batch (W)' },
  { kind: 'both', label: 'Step both', title: 'One DARTS iteration: α step, then weight step (S)' },
] as const;

export function Controls({ controller }: { controller: Controller }) {
  const state = useStore(run, (r) => r.state);
  const ready = useStore(run, (r) => r.ready);
  const speed = useStore(settings, (s) => s.speed);
  const showDerived = useStore(settings, (s) => s.showDerived);
  const running = state === 'running';

  return (
    <div className="controls" role="toolbar" aria-label="Search controls">
      <div className="control-group">
        <button type="button" className="primary" disabled={!ready || running} onClick={() => controller.play()} title="Play (Space)">
          <span aria-hidden="true">▶ </span>Play
        </button>
        <button type="button" disabled={!running} onClick={() => controller.pause()} title="Pause (Space)">
          <span aria-hidden="true">❚❚ </span>Pause
        </button>
      </div>
      <div className="control-group" aria-label="Single steps">
        {STEP_BUTTONS.map((b) => (
          <button key={b.kind} type="button" disabled={!ready} onClick={() => controller.step(b.kind)} title={b.title}>
            {b.label}
          </button>
        ))}
      </div>
      <div className="control-group">
        <ResetMenu controller={controller} />
        <label className="inline-field">
          Speed
          <select value={String(speed)} onChange={(e) => controller.setSpeed(Number(e.target.value))}>
            {SPEEDS.map((s) => (
              <option key={s.value} value={String(s.value)}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="control-group grow-end">
        <label className="toggle">
          <input
            type="checkbox"
            checked={showDerived}
            onChange={(e) => settings.set((s) => ({ ...s, showDerived: e.target.checked }))}
          />
          Show derived genotype
        </label>
      </div>
    </div>
  );
}

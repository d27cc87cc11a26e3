import { useEffect, useMemo, useRef, useState } from 'react';
import { CommandButton } from './CommandButton';
import { commandById, commandTitle, keyLabel } from './commands';
import type { Controller } from './controller';
import { useStore } from './createStore';
import { SlowMotion } from './SlowMotion';
import { run, settings, type QueuedCommand } from './store';

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
      data-control="reset"
      ref={box}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={!ready}
        onClick={() => setOpen((o) => !o)}
        title={`Rebuild the supernet: same seed (${keyLabel(commandById('reset').keys[0])}) or a new seed (${keyLabel(commandById('reset-new-seed').keys[0])})`}
      >
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

/** The single-step buttons, from the command registry (their labels are the accessible names the tests rely on). */
const STEP_COMMANDS = ['step-arch', 'step-weights', 'step-both'] as const;
const STEP_KIND: Record<(typeof STEP_COMMANDS)[number], QueuedCommand> = { 'step-arch': 'arch', 'step-weights': 'weights', 'step-both': 'both' };

const QUEUED_LABEL: Record<QueuedCommand, string> = { play: 'Play', arch: 'Step α', weights: 'Step w', both: 'Step both' };

/** "Play and 2 × Step both": the queued commands, grouped, in order of first appearance. */
export function describeQueue(q: readonly QueuedCommand[]): string {
  const counts = new Map<QueuedCommand, number>();
  for (const c of q) counts.set(c, (counts.get(c) ?? 0) + 1);
  const parts = [...counts].map(([c, n]) => (n > 1 ? `${n} × ${QUEUED_LABEL[c]}` : QUEUED_LABEL[c]));
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : (parts[0] ?? '');
}

export function Controls({ controller }: { controller: Controller }) {
  const ctx = useMemo(() => ({ controller }), [controller]);
  const speed = useStore(settings, (s) => s.speed);
  const showDerived = useStore(settings, (s) => s.showDerived);
  const ready = useStore(run, (r) => r.ready);
  const failed = useStore(run, (r) => r.error !== null);
  const queued = useStore(run, (r) => r.queued);
  const status = useStore(run, (r) => r.status);
  const starting = !ready && !failed;
  const stepBadge = (kind: QueuedCommand) => {
    const n = queued.filter((q) => q === kind).length;
    return starting && n ? `queued${n > 1 ? ` ×${n}` : ''}` : undefined;
  };

  return (
    <div className="controls" role="toolbar" aria-label="Search controls">
      <div className="control-group">
        <CommandButton id="play" ctx={ctx} className="primary" icon="▶ " badge={starting ? (queued.includes('play') ? 'queued, starting…' : 'starting…') : undefined} />
        <CommandButton id="pause" ctx={ctx} icon="❚❚ " />
      </div>
      <div className="control-group" aria-label="Single steps" data-control="steps">
        {STEP_COMMANDS.map((id) => (
          <CommandButton key={id} id={id} ctx={ctx} badge={stepBadge(STEP_KIND[id])} />
        ))}
        <SlowMotion controller={controller} />
      </div>
      <div className="control-group">
        <ResetMenu controller={controller} />
        <label className="inline-field" data-control="speed">
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
      {starting && queued.length > 0 && (
        <p className="queue-note" role="status">
          {describeQueue(queued)} {queued.length > 1 ? 'wait' : 'waits'} for the search worker and {queued.length > 1 ? 'run' : 'runs'} as
          soon as it is ready{status ? ` (${status.replace(/…$/, '')}…)` : ''}.
        </p>
      )}
      <div className="control-group grow-end" data-control="derived">
        <label className="toggle" title={commandTitle(commandById('toggle-derived'))}>
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

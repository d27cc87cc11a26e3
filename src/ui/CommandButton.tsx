/**
 * A button drawn from the command registry: its text (= accessible name), tooltip, disabled state
 * and click all come from one `Command`, the same object the keyboard and the help overlay use.
 */
import { useCallback, useSyncExternalStore, type ReactNode } from 'react';
import { commandById, commandTitle, keyLabel, type Command, type CommandContext } from './commands';
import { live, run, settings } from './store';

/** Subscribe to every store a command's `enabled` may read; React re-renders only when the boolean flips. */
function subscribeAll(listener: () => void): () => void {
  const offs = [run.subscribe(listener), settings.subscribe(listener), live.subscribe(listener)];
  return () => offs.forEach((off) => off());
}

export function useCommandEnabled(cmd: Command, ctx: CommandContext): boolean {
  const get = useCallback(() => cmd.enabled(ctx), [cmd, ctx]);
  return useSyncExternalStore(subscribeAll, get, get);
}

export function CommandButton({
  id,
  ctx,
  icon,
  className,
  disabled = false,
  badge,
}: {
  id: string;
  ctx: CommandContext;
  /** Decoration before the label, hidden from assistive technology (▶, ❚❚). */
  icon?: ReactNode;
  className?: string;
  /** Extra reason to disable (e.g. a request in flight), on top of `enabled`. */
  disabled?: boolean;
  /**
   * A short visible note after the label ("starting…", "queued ×2") while the command waits for
   * the worker. Hidden from the accessible name (the label stays the command's name); the state
   * is announced by aria-busy and the toolbar's status line.
   */
  badge?: string;
}) {
  const cmd = commandById(id);
  const enabled = useCommandEnabled(cmd, ctx);
  return (
    <button
      type="button"
      className={className}
      disabled={disabled || !enabled}
      title={commandTitle(cmd)}
      aria-keyshortcuts={cmd.keys.length ? cmd.keys.map(keyLabel).join(' ') : undefined}
      data-command={cmd.id}
      data-waiting={badge ? 'true' : undefined}
      aria-busy={badge ? true : undefined}
      onClick={() => cmd.run(ctx)}
    >
      {icon !== undefined && <span aria-hidden="true">{icon}</span>}
      {cmd.label}
      {badge && (
        <span className="cmd-badge" aria-hidden="true">
          {badge}
        </span>
      )}
    </button>
  );
}


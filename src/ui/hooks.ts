import { useEffect, useRef, type RefObject } from 'react';
import { commandForKey, keyBelongsToFocus } from './commands';
import type { Controller } from './controller';
import { run, settings } from './store';

/**
 * The keyboard shortcuts: every key comes from the command registry (commands.ts), so the help
 * overlay, the tooltips and the keys cannot disagree.
 */
export function useCommandShortcuts(controller: Controller): void {
  useEffect(() => {
    const ctx = { controller };
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || keyBelongsToFocus(e.target, e.key)) return;
      const cmd = commandForKey(e, ctx);
      if (!cmd) return;
      e.preventDefault(); // Space must not scroll the page, '?' must not type anywhere
      cmd.run(ctx);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);
}

/** Pause while the tab is hidden (laptop batteries), and resume when it comes back. */
export function useVisibilityPause(controller: Controller): void {
  useEffect(() => {
    let pausedByUs = false;
    const onChange = () => {
      if (document.hidden) {
        if (settings.get().pauseWhenHidden && run.get().state === 'running') {
          pausedByUs = true;
          controller.pause();
        }
      } else if (pausedByUs) {
        pausedByUs = false;
        if (run.get().state === 'paused') controller.play();
      }
    };
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, [controller]);
}

/**
 * A native modal <dialog>: opened with showModal() when it mounts, closed when it unmounts, and
 * focus goes back to whatever had it before (the button that opened it, or the page).
 */
export function useModalDialog(): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    const before = document.activeElement as HTMLElement | null;
    if (d && !d.open) d.showModal?.();
    return () => {
      d?.close?.();
      if (before && before.isConnected && typeof before.focus === 'function') before.focus();
    };
  }, []);
  return ref;
}

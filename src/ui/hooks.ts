import { useEffect } from 'react';
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

import { useEffect } from 'react';
import type { Controller } from './controller';
import { run, settings } from './store';

/** Keys act only when focus is not in a form control (Space on a button must stay a click). */
function fromControl(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t || !t.closest) return false;
  return !!t.closest('input, select, textarea, button, [contenteditable], dialog, [role="menu"], .edge');
}

export function useShortcuts(controller: Controller): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || fromControl(e)) return;
      const r = run.get();
      if (!r.ready) return;
      const k = e.key.toLowerCase();
      if (k === ' ') {
        e.preventDefault();
        if (r.state === 'running') controller.pause();
        else controller.play();
      } else if (k === 'a') controller.step('arch');
      else if (k === 'w') controller.step('weights');
      else if (k === 's') controller.step('both');
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

/**
 * Whether the tour is open and on which page. Kept outside React so the header button, the
 * `darts:command` event (dispatched by the command registry and shortcuts) and the tour sheet all
 * share it.
 */
import { useEffect } from 'react';
import { createStore } from '../createStore';
import { TOUR_PAGES } from './pages';

export interface TourState {
  open: boolean;
  page: number;
}

export const tour = createStore<TourState>({ open: false, page: 0 });

export function openTour(page?: number): void {
  tour.set((t) => ({ open: true, page: clampPage(page ?? t.page) }));
}

export function closeTour(): void {
  tour.set((t) => (t.open ? { ...t, open: false } : t));
}

export function goToPage(page: number): void {
  tour.set((t) => ({ ...t, page: clampPage(page) }));
}

function clampPage(p: number): number {
  return Math.max(0, Math.min(TOUR_PAGES.length - 1, Math.trunc(p) || 0));
}

/** The id a `darts:command` event names: its detail is the id, or an object with an `id`. */
export function commandId(e: Event): string | null {
  const d = (e as CustomEvent<unknown>).detail;
  if (typeof d === 'string') return d;
  if (d && typeof d === 'object' && typeof (d as { id?: unknown }).id === 'string') return (d as { id: string }).id;
  return null;
}

/** Open the tour on `window` event `darts:command` with detail 'tour'. */
export function useTourCommand(): void {
  useEffect(() => {
    const on = (e: Event) => {
      if (commandId(e) !== 'tour') return;
      e.preventDefault(); // tells the command registry that someone took it
      openTour();
    };
    window.addEventListener('darts:command', on);
    return () => window.removeEventListener('darts:command', on);
  }, []);
}

/**
 * The floating teaching layers: the guided tour and the edge inspector. Both are loaded lazily
 * (they bring KaTeX, ~300 kB) the first time they open, so the first paint on a weak laptop does
 * not wait for them.
 */
import { lazy, Suspense } from 'react';
import { useStore } from './createStore';
import { settings } from './store';
import './teaching.css';
import { tour, useTourCommand } from './tour/tourStore';

const Tour = lazy(() => import('./tour/Tour'));
const EdgeInspector = lazy(() => import('./EdgeInspector'));

export function TeachingOverlays() {
  const tourOpen = useStore(tour, (t) => t.open);
  const inspectorOpen = useStore(settings, (s) => s.inspectorOpen);
  useTourCommand();
  return (
    <>
      {inspectorOpen && (
        <Suspense fallback={null}>
          <EdgeInspector />
        </Suspense>
      )}
      {tourOpen && (
        <Suspense fallback={null}>
          <Tour />
        </Suspense>
      )}
    </>
  );
}

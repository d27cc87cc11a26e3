/**
 * The live derived genotype as a JSON string ('' before the first snapshot or when α diverged).
 * A string, so a component re-renders only when the genotype itself changes, not on every
 * snapshot (a sidebar re-render per snapshot was main-thread time in e2e/responsiveness.spec.ts).
 */
import { genotypeToJson } from '../core/genotype';
import { useStore } from './createStore';
import { derivedGenotype } from './derived';
import { live, run } from './store';

export function useDerivedJson(): string {
  return useStore(live, (snap) => {
    const g = derivedGenotype(snap, run.get().config);
    return g ? genotypeToJson(g) : '';
  });
}

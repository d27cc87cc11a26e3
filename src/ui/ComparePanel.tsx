/**
 * The sidebar's way into "Compare runs": pin the run on screen (a frozen copy, so the user can
 * change the method or the seed, reset and search again) and open the side-by-side view.
 */
import { useStore } from './createStore';
import { compare, openCompare, pinCurrent } from './compareStore';
import { live } from './store';

export function ComparePanel() {
  // A primitive slice: re-renders only when the run gains its first frame or loses them all.
  const hasFrames = useStore(live, () => live.history.frames.length > 0);
  const kept = useStore(compare, (s) => s.runs.length);
  const message = useStore(compare, (s) => s.message);
  return (
    <section className="panel" aria-labelledby="compare-title" data-control="compare">
      <h2 id="compare-title">Compare runs</h2>
      <p className="panel-note">
        Pin this run, then change the method or the seed and search again, or load a recorded run: see both cells, their α and
        their genotypes side by side.
      </p>
      <div className="button-row">
        <button type="button" disabled={!hasFrames} onClick={() => pinCurrent()} title="Keep a copy of the run on screen (all its α frames) to compare with">
          Pin this run
        </button>
        <button type="button" onClick={() => openCompare()}>
          Compare runs…
        </button>
      </div>
      {kept > 0 && <p className="panel-note" data-testid="compare-kept">{kept === 1 ? '1 run kept' : `${kept} runs kept`} for comparison.</p>}
      {message && !compare.get().open && (
        <p className={`compare-message ${message.kind}`} role="status">
          {message.text}
        </p>
      )}
    </section>
  );
}

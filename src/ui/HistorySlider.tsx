/**
 * The history slider (issue 5 item 7): scrub through the current run's snapshots (live or
 * replay), play them back at 0.5×–4×, and "Latest" to follow the run again. The cells, the
 * genotype and the header readouts redraw for the chosen entry because they all read `live.get()`.
 *
 * Cheap by construction: the slider's max, value and readout follow the live store through a
 * subscription that writes the DOM directly; React re-renders only when following/playing/speed
 * change, never per snapshot.
 */
import { useEffect, useId, useRef, useSyncExternalStore } from 'react';
import { PLAYBACK_SPEEDS } from './clock';
import { useStore } from './createStore';
import { historyPlayback, playback } from './replay';
import { live } from './store';

const following = () => live.getCursor() === null;

export function HistorySlider() {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const readout = useRef<HTMLOutputElement>(null);
  const isFollowing = useSyncExternalStore(live.subscribe, following, following);
  const playing = useStore(historyPlayback.playing, (p) => p);
  const speed = useStore(playback, (p) => p.speed);

  useEffect(() => {
    const el = input.current;
    const out = readout.current;
    if (!el || !out) return;
    const sync = () => {
      const h = live.history;
      const n = h.frames.length;
      const c = live.getCursor();
      const i = c ?? n - 1;
      el.max = String(Math.max(0, n - 1));
      el.value = String(Math.max(0, i));
      el.disabled = n < 2;
      const step = n > 0 ? h.alphaStep[i] : 0;
      const last = n > 0 ? h.alphaStep[n - 1] : 0;
      const text = n === 0 ? 'no snapshots yet' : c === null ? `step ${step} (latest)` : `step ${step} of ${last}`;
      el.setAttribute('aria-valuetext', text);
      out.textContent = text;
      out.setAttribute('data-step', String(step));
    };
    // A native listener, not React's onChange: sync() sets the value programmatically, and React's
    // value tracker would then swallow an input event whose value it has already seen.
    const onInput = () => historyPlayback.scrub(Number(el.value));
    el.addEventListener('input', onInput);
    sync();
    const off = live.subscribe(sync);
    return () => {
      off();
      el.removeEventListener('input', onInput);
    };
  }, []);

  return (
    <div className="history-bar" role="group" aria-label="History of this run">
      <button
        type="button"
        className="history-play"
        onClick={() => (playing ? historyPlayback.pause() : historyPlayback.play())}
        aria-label={playing ? 'Pause the history playback' : 'Play back the history'}
        title={playing ? 'Pause the history playback' : 'Play back this run’s snapshots from the one shown (or from the start)'}
      >
        <span aria-hidden="true">{playing ? '❚❚' : '▶'}</span>
      </button>
      <label htmlFor={id} className="history-label">
        History
      </label>
      <input
        id={id}
        ref={input}
        type="range"
        min={0}
        max={0}
        step={1}
        defaultValue={0}
        disabled
        data-testid="history-slider"
      />
      <output ref={readout} htmlFor={id} className="history-readout" data-testid="history-step" />
      <select
        aria-label="Playback speed"
        title="Speed of the replay and of the history playback"
        value={String(speed)}
        onChange={(e) => playback.set({ speed: Number(e.target.value) })}
      >
        {PLAYBACK_SPEEDS.map((s) => (
          <option key={s} value={String(s)}>
            {s}×
          </option>
        ))}
      </select>
      <button type="button" disabled={isFollowing} onClick={() => historyPlayback.latest()} title="Follow the newest snapshot again">
        Latest
      </button>
    </div>
  );
}

/**
 * The label of a replay (issue 5 item 3): says that the cells show a recorded run, which step of
 * it, what the live search is doing meanwhile, and offers "Go live" (the live run takes over and
 * starts computing: controller.play(), which stops the replay).
 */
import type { Controller } from './controller';
import { useStore } from './createStore';
import { historyPlayback, replayPlayer, replayState } from './replay';
import { run } from './store';

export function ReplayBanner({ controller }: { controller: Controller }) {
  const s = useStore(replayState, (x) => x);
  const ready = useStore(run, (r) => r.ready);
  const liveStatus = useStore(run, (r) => r.status);
  if (s.status === 'off' || s.status === 'loading') return null;

  const where = s.status === 'ended' ? ' (end: the derived cell, top-2 inputs per node, is drawn over it)' : s.status === 'paused' ? ' (paused)' : '';
  const liveText = ready ? 'The live search is ready and idle.' : (liveStatus ?? 'The live search is being built…');
  return (
    <div className="replay-banner" role="region" aria-label="Replay of a recorded run" data-testid="replay-banner">
      <span className="replay-badge" aria-hidden="true">
        Replay
      </span>
      <div className="replay-text">
        <strong>Replay of a recorded run</strong>{' '}
        <span className="replay-step">
          step <span data-testid="replay-step">{s.step}</span> of {s.lastStep}
          {where}
        </span>
        <span className="replay-sub" title={s.note}>
          {liveText} {s.note}
        </span>
      </div>
      <button
        type="button"
        onClick={() => {
          if (s.status === 'playing') replayPlayer.pause();
          else if (s.status === 'paused') historyPlayback.latest(); // back to the newest frame, then on
          else replayPlayer.play(); // ended: from the start
        }}
        title={s.status === 'ended' ? 'Play the recorded run again' : undefined}
      >
        {s.status === 'playing' ? 'Pause replay' : s.status === 'ended' ? 'Replay again' : 'Resume replay'}
      </button>
      <button
        type="button"
        className="primary"
        onClick={() => controller.play()}
        title="Stop the replay and run the real search in this tab"
      >
        Go live
      </button>
    </div>
  );
}

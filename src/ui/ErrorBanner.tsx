import type { ErrorKind } from '../worker/protocol';
import { useStore } from './createStore';
import { run } from './store';

const TITLES = {
  divergence: 'The search diverged',
  exception: 'Something went wrong',
  backend: 'Backend problem',
  config: 'Configuration problem',
  data: 'Dataset problem',
  evaluation: 'Training the cell failed',
} as const satisfies Record<ErrorKind, string>;

/** What happened and what to do; the run stays paused with its last good state. */
export function ErrorBanner() {
  const error = useStore(run, (r) => r.error);
  if (!error) return null;
  return (
    <div className="error-banner" role="alert" data-error-kind={error.kind}>
      <div>
        <strong>{TITLES[error.kind]}.</strong> {error.message}
        <div className="hint">{error.hint}</div>
      </div>
      <button type="button" aria-label="Dismiss the message" onClick={() => run.set((r) => ({ ...r, error: null }))}>
        ×
      </button>
    </div>
  );
}

/**
 * The footer's offline line (issue 5 item 9): whether the app is saved for offline use, and a
 * reload button when a newer build is waiting. Nothing is shown in dev (no service worker).
 */
import { applyUpdate, offline } from '../pwa/register';
import { useStore } from './createStore';

export function OfflineStatus() {
  const state = useStore(offline, (s) => s.state);
  const online = useStore(offline, (s) => s.online);
  const detail = useStore(offline, (s) => s.detail);
  if (state === 'off') return null;
  const text =
    state === 'update'
      ? null
      : !online
        ? state === 'ready'
          ? 'Offline: running from the saved copy'
          : 'Offline'
        : state === 'ready'
          ? 'Ready to work offline'
          : state === 'installing'
            ? 'Saving for offline use…'
            : state === 'unsupported'
              ? 'Offline use is not available in this browser'
              : 'Offline copy not saved';
  return (
    <span className="offline-status" role="status" data-offline={state} title={detail}>
      {state === 'update' ? (
        <button type="button" className="link-button" onClick={applyUpdate}>
          Update available — reload
        </button>
      ) : (
        text
      )}
    </span>
  );
}

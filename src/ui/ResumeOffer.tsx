/**
 * At start-up, the autosaved run (src/worker/autosave.ts) is offered back: "Resume run from
 * step N (saved hh:mm)" or "Start fresh" (issue 11 item 1). Resuming opens the saved run file
 * through the same path as "Open run", so it continues bit-identically; a record from an older
 * version, or one that fails its checks, is named and never half-loaded.
 */
import { useEffect, useState } from 'react';
import { clearAutosave, readAutosave, type AutosaveRecord } from '../worker/autosave';
import type { Controller } from './controller';

type Offer = { kind: 'resume'; record: AutosaveRecord } | { kind: 'message'; text: string };

export function ResumeOffer({ controller }: { controller: Controller }) {
  const [offer, setOffer] = useState<Offer | null>(null);
  useEffect(() => {
    let live = true;
    readAutosave()
      .then((r) => {
        if (!live || !r || r.step === 0) return;
        if (r.stale) setOffer({ kind: 'message', text: 'A run autosaved by an older version of the playground cannot be resumed here; it was left out.' });
        else setOffer({ kind: 'resume', record: r });
      })
      .catch(() => undefined); // no IndexedDB (a private window): nothing to offer
    return () => {
      live = false;
    };
  }, []);
  if (!offer) return null;

  const fresh = () => {
    void clearAutosave().catch(() => undefined);
    setOffer(null);
  };
  if (offer.kind === 'message') {
    return (
      <div className="notice resume-offer" role="status">
        <p>{offer.text}</p>
        <button type="button" onClick={fresh}>
          Dismiss
        </button>
      </div>
    );
  }
  const r = offer.record;
  const when = new Date(r.savedAt).toLocaleString(undefined, { hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'short' });
  return (
    <div className="notice resume-offer" role="region" aria-label="Resume the saved run">
      <p>
        Your last run ({r.label}) was saved automatically at step {r.step}, {when}.
      </p>
      <span className="button-row">
        <button
          type="button"
          className="primary"
          onClick={() => {
            const why = controller.openRun(r.bytes.slice(0));
            setOffer(why ? { kind: 'message', text: `The saved run could not be resumed: ${why}` } : null);
          }}
        >
          Resume run from step {r.step}
        </button>
        <button type="button" onClick={fresh}>
          Start fresh
        </button>
      </span>
    </div>
  );
}

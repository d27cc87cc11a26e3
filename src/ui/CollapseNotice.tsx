/**
 * The collapse warning (spec §7, core/collapse.ts): a notice under the controls when DARTS+
 * (≥ 2 skip_connect in the derived normal cell) or RobustDARTS' DARTS-ES (λ_max rose by > 1.3×)
 * fires, or, as information, when the reduction cell is parameter-free. It names the rule and its
 * paper and links to the tour page on failure modes. Reads the live store (the worker computes
 * the counts and λ_max between steps), re-rendering only when the set of warnings changes.
 */
import { useState, useSyncExternalStore } from 'react';
import { collapseWarnings, type CollapseWarning } from '../core/collapse';
import { openTour } from './tour/tourStore';
import { tourPageIndex } from './tour/pages';
import { live } from './store';

function currentWarnings(): CollapseWarning[] {
  const s = live.latest();
  const c = s?.collapse;
  if (!s || !c) return [];
  const h = live.history;
  return collapseWarnings({
    counts: {
      normal: { edges: c.edges, skip: c.skipNormal, parameterFree: c.paramFreeNormal },
      reduce: { edges: c.edges, skip: c.skipReduce, parameterFree: c.paramFreeReduce },
    },
    epoch: s.epoch,
    step: s.step,
    lambdas: h.eigenLambda,
    lambdaSteps: h.eigenStep,
    hasParametricOps: c.hasParametricOps,
  });
}

// useSyncExternalStore needs a stable snapshot: the warnings as one string, parsed on change.
const key = () => JSON.stringify(currentWarnings());

export function CollapseNotice() {
  const text = useSyncExternalStore(live.subscribe, key, key);
  const [dismissed, setDismissed] = useState<string>('');
  const warnings = JSON.parse(text) as CollapseWarning[];
  const rules = warnings.map((w) => w.rule).join(',');
  if (warnings.length === 0 || rules === dismissed) return null;
  return (
    <div className="notice collapse-notice" role="status" data-testid="collapse-notice" data-rules={rules}>
      <div>
        {warnings.map((w) => (
          <p key={w.rule} data-rule={w.rule}>
            <strong>{w.severity === 'warning' ? 'Collapse warning' : 'Note'}:</strong> {w.message} <small>({w.source})</small>
          </p>
        ))}
        <p>
          <button type="button" className="link-button" onClick={() => openTour(Math.max(0, tourPageIndex('collapse-diagnostics')))}>
            Why? Open the tour page on failure modes
          </button>
        </p>
      </div>
      <button type="button" aria-label="Dismiss the collapse warning" onClick={() => setDismissed(rules)}>
        ×
      </button>
    </div>
  );
}

// @vitest-environment jsdom
/**
 * `compare=1`: a link opens the Compare runs dialog, and the address bar says `compare=1` exactly
 * while it is open (the link stays canonical: nothing is written once it is closed).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getPreset } from '../core/presets';
import { compare, openCompare } from './compareStore';
import type { Controller } from './controller';
import { data } from './dataStores';
import { startUrlSync } from './urlSync';
import { parseUrlState } from './urlState';

const tick = () => new Promise<void>((r) => queueMicrotask(r));

afterEach(() => {
  openCompare(false);
  vi.unstubAllGlobals();
});

describe('compare=1', () => {
  it('opens the dialog from the link and follows it in the hash', async () => {
    // jsdom has no constructable stylesheets (the hide= rules use one).
    vi.stubGlobal('CSSStyleSheet', class { replaceSync() {} });
    Object.defineProperty(document, 'adoptedStyleSheets', { value: [], writable: true, configurable: true });
    window.history.replaceState(null, '', '/#preset=lecture&compare=1');
    const url = parseUrlState(window.location.search, window.location.hash);
    expect(url.notices).toEqual([]);
    const controller = { currentConfig: getPreset('lecture') } as unknown as Controller;
    data.set((d) => ({ ...d, spec: url.dataset })); // as main.tsx does, through controller.setInitialDataset
    const stop = startUrlSync(controller, url);
    try {
      expect(compare.get().open).toBe(true);
      await tick();
      expect(window.location.hash).toBe('#compare=1');
      openCompare(false);
      await tick();
      expect(window.location.hash).toBe('');
      // Picks and scrubbing inside the dialog do not touch the link.
      openCompare(true);
      await tick();
      expect(window.location.hash).toBe('#compare=1');
      compare.set((s) => ({ ...s, step: 3 }));
      await tick();
      expect(window.location.hash).toBe('#compare=1');
    } finally {
      stop();
    }
  });
});

/**
 * Keeps the address bar's hash equal to the app's state (src/core/urlSchema.ts), so the URL is
 * always a shareable link, as TF Playground re-serialised its hash on every change (anchors §2.1):
 *
 *   - the config that runs (run.config: every applied setting, a reset's new seed),
 *   - the preset it started from and the dataset (dataStores.data),
 *   - the view options in `settings` (speed, derived overlay, theme, large font),
 *   - the controls a classroom link hides, and the link's backend and autoplay,
 *   - whether the Compare runs dialog is open (`compare=1`, src/ui/compareStore.ts).
 *
 * `history.replaceState` rewrites the URL without a navigation or a history entry. A hash edited
 * by hand (or a pasted link that differs only in the hash) reloads the page, so the page always
 * shows what its URL says.
 *
 * Hidden controls: every hideable element carries `data-control="<name>"`; one generated style
 * rule gives the hidden ones `display: none`, which also takes them out of the focus order and
 * the accessibility tree.
 */
import type { PresetName } from '../core/presets';
import { encodeLink, normalizeHidden, presetDataset, URL_KEYS, type LinkDataset, type LinkState } from '../core/urlSchema';
import { compare, openCompare } from './compareStore';
import type { Controller } from './controller';
import { createStore } from './createStore';
import { data } from './dataStores';
import { run, settings } from './store';
import type { UrlState } from './urlState';

/** What the URL holds beyond the config and the settings store. */
export interface LinkExtras {
  /** The preset the current config started from (the base its URL values are changes to). */
  preset: PresetName;
  /** Controls hidden on this page (a student's classroom link). */
  hidden: string[];
  /** From the opening link; not changed by the UI. */
  backend: LinkState['backend'];
  autoplay: boolean;
}

export const linkExtras = createStore<LinkExtras>({ preset: 'lecture', hidden: [], backend: 'auto', autoplay: false });

/** The preset menu applied a preset: its name becomes the link's base. */
export function setLinkPreset(preset: PresetName): void {
  linkExtras.set((l) => (l.preset === preset ? l : { ...l, preset }));
}

/** Is a control hidden on this page? (For code that acts for a control, e.g. its keyboard shortcut.) */
export function isControlHidden(name: string): boolean {
  return linkExtras.get().hidden.includes(name);
}

/** The dataset as a link can carry it: the user's own files cannot travel, so the preset's is named. */
function linkDataset(preset: PresetName): LinkDataset {
  const spec = data.get().spec;
  return spec.name === 'upload' ? presetDataset(preset) : spec;
}

/** The whole state of the page as a link describes it. */
export function currentLinkState(controller: Controller): LinkState {
  const s = settings.get();
  const l = linkExtras.get();
  return {
    preset: l.preset,
    dataset: linkDataset(l.preset),
    config: run.get().config ?? controller.currentConfig,
    backend: l.backend,
    autoplay: l.autoplay,
    speed: s.speed,
    derived: s.showDerived,
    theme: s.theme,
    largeFont: s.largeFont,
    widths: s.widths,
    compare: compare.get().open,
    hidden: l.hidden,
  };
}

/**
 * The page's URL for a link hash: the path, the query without the keys the hash now carries
 * (an old `?preset=…&C=…` link becomes `#preset=…&C=…`; other query keys stay), and the hash.
 */
export function urlFor(pathname: string, search: string, hash: string): string {
  const q = new URLSearchParams(search);
  for (const k of URL_KEYS) q.delete(k);
  const rest = q.toString();
  return `${pathname}${rest ? `?${rest}` : ''}${hash ? `#${hash}` : ''}`;
}

/** An absolute link to this page with the given state (for the classroom panel). */
export function shareableLink(state: LinkState, loc: Pick<Location, 'origin' | 'pathname' | 'search'> = window.location): string {
  return loc.origin + urlFor(loc.pathname, loc.search, encodeLink(state));
}

/** CSS that removes the hidden controls (display: none also removes them from focus and the a11y tree). */
export function hiddenControlsCss(hidden: readonly string[]): string {
  const names = normalizeHidden(hidden);
  if (names.length === 0) return '';
  return `${names.map((n) => `[data-control="${n}"]`).join(',\n')} {\n  display: none !important;\n}\n`;
}

/** The `hide=` rules, as a constructed stylesheet: the page's CSP allows no <style> elements. */
let hiddenSheet: CSSStyleSheet | null = null;

function applyHidden(hidden: readonly string[]): void {
  const css = hiddenControlsCss(hidden);
  if (!hiddenSheet) {
    hiddenSheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, hiddenSheet];
  }
  hiddenSheet.replaceSync(css);
  document.documentElement.dataset.hidden = normalizeHidden(hidden).join(' ');
}

/**
 * Load the opening link's view options into the stores, then keep the URL in sync with the
 * state. Call once, before the first render. Returns a function that stops syncing.
 */
export function startUrlSync(controller: Controller, url: UrlState): () => void {
  linkExtras.set({ preset: url.preset, hidden: url.hidden, backend: url.link.backend, autoplay: url.autoplay });
  // The link's view options win over remembered ones (src/ui/appearance.ts) only when it sets them.
  const given = new URLSearchParams(window.location.search + '&' + window.location.hash.slice(1));
  settings.set((s) => ({
    ...s,
    speed: url.view.speed,
    showDerived: url.view.derived,
    widths: url.view.widths,
    ...(given.has('theme') ? { theme: url.view.theme } : {}),
    ...(given.has('largeFont') ? { largeFont: url.view.largeFont } : {}),
  }));
  if (url.link.compare) openCompare(true);

  let written: string | null = null;
  let queued = false;
  const write = () => {
    queued = false;
    const hash = encodeLink(currentLinkState(controller));
    const next = urlFor(window.location.pathname, window.location.search, hash);
    written = hash;
    const now = window.location.pathname + window.location.search + window.location.hash;
    if (next !== now) window.history.replaceState(window.history.state, '', next);
  };
  const schedule = () => {
    if (queued) return;
    queued = true;
    queueMicrotask(write);
  };
  const followHidden = () => applyHidden(linkExtras.get().hidden);

  followHidden();
  write();
  // The compare store changes with every pick and scrubber move: only its open flag is in the link.
  let compareOpen = compare.get().open;
  const followCompare = () => {
    if (compare.get().open === compareOpen) return;
    compareOpen = compare.get().open;
    schedule();
  };
  const offs = [
    run.subscribe(schedule),
    settings.subscribe(schedule),
    data.subscribe(schedule),
    linkExtras.subscribe(schedule),
    linkExtras.subscribe(followHidden),
    compare.subscribe(followCompare),
  ];

  // A hash typed into the address bar (or a link that differs only in its hash) does not load the
  // page again by itself: reload, so the state is the link's. An in-page anchor (`#main`, no '=')
  // is not a link: put the state back once the browser has scrolled to it.
  const onHash = () => {
    const hash = window.location.hash.replace(/^#/, '');
    if (hash === (written ?? '')) return;
    if (hash.includes('=')) window.location.reload();
    else schedule();
  };
  window.addEventListener('hashchange', onHash);
  return () => {
    offs.forEach((off) => off());
    window.removeEventListener('hashchange', onHash);
  };
}

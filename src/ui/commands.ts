/**
 * The command registry (Excalidraw's action registry, anchors §5.4 and §5.6 item 4): every user
 * action is one object with its label, shortcut keys, description, `run` and `enabled`. The
 * same objects feed
 *
 * - the keyboard handler (`useCommandShortcuts` in hooks.ts, via `commandForKey` below),
 * - the buttons' accessible names and tooltips (Controls.tsx, GenotypePanel.tsx, Header.tsx),
 * - the help overlay (HelpOverlay.tsx) and the footer's shortcut hint (App.tsx),
 *
 * so a label or a key is changed in one place and can never disagree between them.
 *
 * Actions that live inside a panel (the tour, the help overlay, the export buttons) are not run here:
 * their command emits a `darts:command` event on the UI bus below, and the panel that owns the
 * action subscribes with `onUiCommand(name, handler)`. Panels that mount later can also add
 * their own commands with `registerCommand`.
 */
import { appearance, setLargeFont, setTheme } from './appearance';
import { openCompare } from './compareStore';
import type { Controller } from './controller';
import { createStore } from './createStore';
import { derivedGenotype } from './derived';
import { live, run, settings } from './store';
import { isControlHidden } from './urlSync';

// ------------------------------------------------------------------ the UI event bus

/** The DOM event name on `window`: `new CustomEvent('darts:command', { detail: name })`. */
export const UI_COMMAND_EVENT = 'darts:command';

/** Actions owned by a panel, reached through the bus. Other names are allowed (string). */
export type UiCommand =
  | 'help'
  | 'tour'
  | 'export-genotype'
  | 'copy-python'
  | 'import-genotype'
  | 'export-svg'
  | 'export-slide-png'
  | 'export-slide-svg';

/** `window` in the browser; a private EventTarget in Node (unit tests). */
const busTarget: EventTarget = typeof window !== 'undefined' ? window : new EventTarget();

/**
 * Ask whoever owns `name` to do it. Returns true when a listener took it (called
 * `preventDefault()`, which `onUiCommand` does for you), false when nobody is listening.
 */
export function emitUiCommand(name: UiCommand | (string & {})): boolean {
  const ev = new CustomEvent<string>(UI_COMMAND_EVENT, { detail: name, cancelable: true });
  busTarget.dispatchEvent(ev);
  return ev.defaultPrevented;
}

/** Run `handler` whenever `name` is emitted; returns the unsubscribe function (use it in an effect cleanup). */
export function onUiCommand(name: UiCommand | (string & {}), handler: () => void): () => void {
  const listener = (e: Event) => {
    if ((e as CustomEvent<string>).detail !== name) return;
    e.preventDefault();
    handler();
  };
  busTarget.addEventListener(UI_COMMAND_EVENT, listener);
  return () => busTarget.removeEventListener(UI_COMMAND_EVENT, listener);
}

// ------------------------------------------------------------------ commands

/** One key of a shortcut. `key` is `KeyboardEvent.key` (' ' for Space); letters are lower case. */
export interface Shortcut {
  key: string;
  /** Letters only: Shift must be held (Shift+R). Other keys ignore Shift ('?' needs it on most layouts). */
  shift?: boolean;
}

export interface CommandContext {
  controller: Controller;
}

export type CommandGroup = 'Search' | 'Genotype and export' | 'View' | 'Help';

export interface Command {
  id: string;
  /** The button's text and accessible name, and the name in the help overlay. */
  label: string;
  /** Zero or more keys; several commands may share one (Space = Play or Pause, whichever is enabled). */
  keys: readonly Shortcut[];
  /** One sentence: the tooltip (with the keys appended) and the help overlay's text. */
  description: string;
  group: CommandGroup;
  /** Listed in the footer's shortcut hint under this short name (only the main commands have one). */
  hint?: string;
  /** Holding the key repeats the command (single steps); default false, so toggles do not flicker. */
  repeat?: boolean;
  /**
   * The `data-control` name of the control this command belongs to: when a classroom link hides
   * that control, its shortcut is off too (a hidden Step button must not step on `s`).
   */
  control?: string;
  run(ctx: CommandContext): void;
  enabled(ctx: CommandContext): boolean;
}

const always = () => true;
const ready = () => run.get().ready;
/** Ready, or starting up without an error: the command is queued until the worker is ready (controller.ts). */
const readyOrStarting = () => run.get().ready || !run.get().error;
/** Something is drawn that a genotype can be read from: a live snapshot, or an imported genotype. */
const hasCells = () => {
  const s = settings.get();
  if (s.view === 'imported' && s.imported) return true;
  return derivedGenotype(live.get(), run.get().config) !== null;
};
const emit = (name: UiCommand) => () => void emitUiCommand(name);
const key = (k: string, shift = false): Shortcut => (shift ? { key: k, shift } : { key: k });

/**
 * The built-in commands, in the order the help overlay lists them. Labels of the run and step
 * buttons are the accessible names the e2e tests rely on: keep them exact.
 */
export const BUILTIN_COMMANDS: readonly Command[] = [
  {
    id: 'play',
    hint: 'play/pause',
    label: 'Play',
    keys: [key(' ')],
    description: 'Run the search: α step, then weight step, repeatedly',
    group: 'Search',
    enabled: () => {
      const r = run.get();
      if (r.state === 'running') return false;
      return r.ready || (!r.error && !r.queued.includes('play'));
    },
    run: ({ controller }) => controller.play(),
  },
  {
    id: 'pause',
    label: 'Pause',
    keys: [key(' ')],
    description: 'Pause the search after the step in progress',
    group: 'Search',
    enabled: () => run.get().state === 'running' || run.get().queued.includes('play'),
    run: ({ controller }) => controller.pause(),
  },
  {
    id: 'step-arch',
    control: 'steps',
    hint: 'step α',
    label: 'Step α',
    keys: [key('a')],
    description: 'One architecture step: Adam on α with a validation batch',
    group: 'Search',
    repeat: true,
    enabled: readyOrStarting,
    run: ({ controller }) => controller.step('arch'),
  },
  {
    id: 'step-weights',
    control: 'steps',
    hint: 'step w',
    label: 'Step w',
    keys: [key('w')],
    description: 'One weight step: SGD on the network weights with a training batch',
    group: 'Search',
    repeat: true,
    enabled: readyOrStarting,
    run: ({ controller }) => controller.step('weights'),
  },
  {
    id: 'step-both',
    control: 'steps',
    hint: 'step both',
    label: 'Step both',
    keys: [key('s')],
    description: 'One DARTS iteration: α step, then weight step',
    group: 'Search',
    repeat: true,
    enabled: readyOrStarting,
    run: ({ controller }) => controller.step('both'),
  },
  {
    // The key resets at once with the same seed: the run replays exactly, so nothing is lost that
    // cannot be had again. The Reset button opens a menu with both choices.
    id: 'reset',
    control: 'reset',
    hint: 'reset',
    label: 'Reset (same seed)',
    keys: [key('r')],
    description: 'Rebuild the supernet with the same seed: the run replays exactly',
    group: 'Search',
    enabled: ready,
    run: ({ controller }) => controller.reset(false),
  },
  {
    id: 'reset-new-seed',
    control: 'reset',
    label: 'Reset (new seed)',
    keys: [key('r', true)],
    description: 'Rebuild the supernet with a new seed: another search, to show the variance',
    group: 'Search',
    enabled: ready,
    run: ({ controller }) => controller.reset(true),
  },
  {
    id: 'export-genotype',
    control: 'io',
    label: 'Export genotype',
    keys: [key('e')],
    description: 'Download the derived genotype as JSON, with config, seed and softmax α',
    group: 'Genotype and export',
    enabled: ready,
    run: emit('export-genotype'),
  },
  {
    id: 'copy-python',
    control: 'io',
    label: 'Copy as Python',
    keys: [key('c')],
    description: 'Copy MY_ARCH = Genotype(...) for the reference train.py',
    group: 'Genotype and export',
    enabled: () => derivedGenotype(live.get(), run.get().config) !== null,
    run: emit('copy-python'),
  },
  {
    id: 'import-genotype',
    control: 'io',
    label: 'Import genotype',
    keys: [key('i')],
    description: 'Draw a genotype (JSON or the reference repr) as a discrete cell',
    group: 'Genotype and export',
    enabled: always,
    run: emit('import-genotype'),
  },
  {
    id: 'export-svg',
    control: 'io',
    label: 'Export SVG',
    keys: [key('v')],
    description: 'Download both cells as drawn on screen, as one SVG',
    group: 'Genotype and export',
    enabled: hasCells,
    run: emit('export-svg'),
  },
  {
    id: 'export-slide-png',
    control: 'io',
    label: 'Export slide PNG',
    keys: [key('p')],
    description: 'Download the derived cells in paper style as a 1920×1080 PNG, ready for a slide',
    group: 'Genotype and export',
    enabled: hasCells,
    run: emit('export-slide-png'),
  },
  {
    id: 'export-slide-svg',
    control: 'io',
    label: 'Export slide SVG',
    keys: [key('p', true)],
    description: 'Download the derived cells in paper style as a 1920×1080 SVG',
    group: 'Genotype and export',
    enabled: hasCells,
    run: emit('export-slide-svg'),
  },
  {
    id: 'toggle-derived',
    control: 'derived',
    label: 'Show derived genotype',
    keys: [key('d')],
    description: 'Overlay the derived cell (top-2 incoming edges per node) on the live cells',
    group: 'View',
    enabled: always,
    run: () => settings.set((s) => ({ ...s, showDerived: !s.showDerived })),
  },
  {
    id: 'theme',
    label: 'Dark / light theme',
    keys: [key('m')],
    description: 'Switch between the dark and the light theme (the header’s menu also offers “system”)',
    group: 'View',
    enabled: always,
    // From what is on screen: a 'system' choice that resolved to dark becomes light, and back.
    run: () => setTheme(appearance.get().theme === 'dark' ? 'light' : 'dark'),
  },
  {
    id: 'large-font',
    label: 'Large text',
    keys: [key('f')],
    description: 'Larger text, for the back of a lecture hall',
    group: 'View',
    enabled: always,
    run: () => setLargeFont(!settings.get().largeFont),
  },
  {
    // Shift+C: C for Compare (plain C is Copy as Python). The URL says `compare=1` while it is open.
    id: 'compare',
    label: 'Compare runs',
    keys: [key('c', true)],
    description: 'Open Compare runs: two runs (this one, a pinned one, a replay or a file) side by side, with the genotype diff',
    group: 'View',
    enabled: always,
    run: () => openCompare(true),
  },
  {
    id: 'tour',
    label: 'Guided tour',
    keys: [key('t')],
    description: 'Walk through DARTS, page by page, on the live playground',
    group: 'Help',
    enabled: always,
    run: emit('tour'),
  },
  {
    id: 'help',
    hint: 'all keys',
    label: 'Help',
    keys: [key('?')],
    description: 'Show every command and its key',
    group: 'Help',
    enabled: always,
    run: emit('help'),
  },
];

/** The live registry: the built-ins plus whatever panels registered. */
export const commands = createStore<readonly Command[]>(BUILTIN_COMMANDS);

/** Add (or replace, by id) a command; returns the function that removes it again. */
export function registerCommand(cmd: Command): () => void {
  commands.set((list) => [...list.filter((c) => c.id !== cmd.id), cmd]);
  return () => commands.set((list) => list.filter((c) => c !== cmd));
}

export function commandById(id: string, list: readonly Command[] = commands.get()): Command {
  const c = list.find((x) => x.id === id);
  if (!c) throw new Error(`no command "${id}" in the registry`);
  return c;
}

// ------------------------------------------------------------------ keys

/** The key as a person reads it: 'Space', 'S', 'Shift+R', '?'. */
export function keyLabel(s: Shortcut): string {
  const name = s.key === ' ' ? 'Space' : s.key.length === 1 ? s.key.toUpperCase() : s.key;
  return s.shift ? `Shift+${name}` : name;
}

/** "Play (Space)": the tooltip of a command's button. */
export function commandTitle(cmd: Command): string {
  return cmd.keys.length ? `${cmd.description} (${cmd.keys.map(keyLabel).join(', ')})` : cmd.description;
}

/** The subset of a KeyboardEvent that matching needs (so tests can pass plain objects). */
export interface KeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  repeat: boolean;
}

export function matches(s: Shortcut, e: KeyLike): boolean {
  if (/^[a-z]$/.test(s.key)) return e.key.toLowerCase() === s.key && e.shiftKey === !!s.shift; // Caps Lock safe
  return e.key === s.key;
}

/**
 * The command a key press runs: the first enabled command with a matching key, or null. Keys
 * with Ctrl, Cmd or Alt belong to the browser; a held-down key repeats only repeatable commands.
 */
export function commandForKey(e: KeyLike, ctx: CommandContext, list: readonly Command[] = commands.get()): Command | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  for (const c of list) {
    if (!c.keys.some((s) => matches(s, e))) continue;
    if (e.repeat && !c.repeat) continue;
    if (c.control && isControlHidden(c.control)) continue;
    if (c.enabled(ctx)) return c;
  }
  return null;
}

/**
 * Where a key must be left to the focused element: everything while typing (text fields,
 * selects, a modal dialog or a menu, which handle their own keys), and Space or Enter on
 * anything that a click activates (a focused button must stay clickable with Space). A
 * non-modal panel (the tour sheet) keeps the shortcuts: the lecturer can press S while reading.
 */
export function keyBelongsToFocus(target: EventTarget | null, key: string): boolean {
  const t = target as Element | null;
  if (!t || typeof t.closest !== 'function') return false;
  const typing =
    'textarea, select, [contenteditable=""], [contenteditable="true"], dialog, [role="menu"], [aria-modal="true"], ' +
    'input:not([type="checkbox"]):not([type="radio"]):not([type="button"]):not([type="submit"]):not([type="reset"]):not([type="range"])';
  if (t.closest(typing)) return true;
  if (key === ' ' || key === 'Enter') {
    return !!t.closest('button, a[href], summary, input, [role="button"], [role="menuitem"], [role="tab"], .edge');
  }
  return false;
}

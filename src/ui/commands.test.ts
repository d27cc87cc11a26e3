// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import {
  BUILTIN_COMMANDS,
  commandById,
  commandForKey,
  commands,
  commandTitle,
  emitUiCommand,
  keyBelongsToFocus,
  keyLabel,
  onUiCommand,
  registerCommand,
  type CommandContext,
  type KeyLike,
} from './commands';
import { compare, openCompare } from './compareStore';
import type { Controller } from './controller';
import { run, settings, type RunInfo } from './store';

/** A controller that records what the commands asked of it. */
function fakeCtx(): { ctx: CommandContext; calls: string[] } {
  const calls: string[] = [];
  const controller = {
    play: () => calls.push('play'),
    pause: () => calls.push('pause'),
    step: (k: string) => calls.push(`step:${k}`),
    reset: (newSeed: boolean) => calls.push(`reset:${newSeed ? 'new' : 'same'}`),
  } as unknown as Controller;
  return { ctx: { controller }, calls };
}

const initialRun = run.get();
const initialSettings = settings.get();
function setRun(patch: Partial<RunInfo>) {
  run.set({ ...initialRun, ...patch });
}
const press = (key: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  repeat: false,
  ...mods,
});

afterEach(() => {
  run.set(initialRun);
  settings.set(initialSettings);
  commands.set(BUILTIN_COMMANDS);
  document.body.replaceChildren();
});

describe('the registry', () => {
  it('has unique ids and keeps the run and step buttons’ accessible names', () => {
    const ids = BUILTIN_COMMANDS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(['play', 'pause', 'step-arch', 'step-weights', 'step-both'].map((id) => commandById(id).label)).toEqual([
      'Play',
      'Pause',
      'Step α',
      'Step w',
      'Step both',
    ]);
    for (const c of BUILTIN_COMMANDS) {
      expect(c.label.length, c.id).toBeGreaterThan(0);
      expect(c.description.length, c.id).toBeGreaterThan(0);
    }
  });

  it('has the issue’s keys: Space, S, A, W, R, ?', () => {
    const keysOf = (id: string) => commandById(id).keys.map(keyLabel);
    expect(keysOf('play')).toEqual(['Space']);
    expect(keysOf('pause')).toEqual(['Space']);
    expect(keysOf('step-both')).toEqual(['S']);
    expect(keysOf('step-arch')).toEqual(['A']);
    expect(keysOf('step-weights')).toEqual(['W']);
    expect(keysOf('reset')).toEqual(['R']);
    expect(keysOf('reset-new-seed')).toEqual(['Shift+R']);
    expect(keysOf('help')).toEqual(['?']);
    expect(keysOf('tour')).toEqual(['T']);
  });

  it('shares a key only between commands that are never enabled together (Space: Play or Pause)', () => {
    const { ctx } = fakeCtx();
    const sig = (c: (typeof BUILTIN_COMMANDS)[number]) => c.keys.map((k) => `${k.key}${k.shift ? '+shift' : ''}`);
    const byKey = new Map<string, string[]>();
    for (const c of BUILTIN_COMMANDS) for (const k of sig(c)) byKey.set(k, [...(byKey.get(k) ?? []), c.id]);
    const shared = [...byKey.values()].filter((ids) => ids.length > 1);
    expect(shared).toEqual([['play', 'pause']]);
    for (const state of ['idle', 'running', 'paused', 'error'] as const) {
      for (const ready of [true, false]) {
        setRun({ state, ready });
        const on = shared[0].filter((id) => commandById(id).enabled(ctx));
        expect(on.length, `${state} ready=${ready}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('Shift+C opens Compare runs (plain C stays Copy as Python)', () => {
    const { ctx } = fakeCtx();
    expect(commandById('compare').keys.map(keyLabel)).toEqual(['Shift+C']);
    expect(commandForKey(press('C', { shiftKey: true }), ctx)?.id).toBe('compare');
    expect(commandForKey(press('c'), ctx)?.id).not.toBe('compare');
    expect(compare.get().open).toBe(false);
    commandById('compare').run(ctx);
    expect(compare.get().open).toBe(true);
    openCompare(false);
  });

  it('titles carry the description and the keys', () => {
    expect(commandTitle(commandById('step-both'))).toBe('One DARTS iteration: α step, then weight step (S)');
    expect(commandTitle(commandById('export-slide-svg'))).toMatch(/1920×1080 SVG \(Shift\+P\)$/);
  });

  it('registerCommand adds a panel’s command and removes it again', () => {
    const off = registerCommand({
      id: 'x-test',
      label: 'Test',
      keys: [{ key: 'x' }],
      description: 'a test command',
      group: 'View',
      enabled: () => true,
      run: () => {},
    });
    expect(commandById('x-test').label).toBe('Test');
    expect(commandForKey(press('x'), fakeCtx().ctx)?.id).toBe('x-test');
    off();
    expect(() => commandById('x-test')).toThrow(/no command/);
    expect(commandForKey(press('x'), fakeCtx().ctx)).toBeNull();
  });
});

describe('commandForKey: which command a key press runs', () => {
  it('Space plays when ready and stopped, pauses while running, queues Play while the worker starts, does nothing after a start-up error', () => {
    const { ctx, calls } = fakeCtx();
    setRun({ ready: true, state: 'idle' });
    commandForKey(press(' '), ctx)?.run(ctx);
    setRun({ ready: true, state: 'running' });
    commandForKey(press(' '), ctx)?.run(ctx);
    setRun({ ready: true, state: 'paused' });
    commandForKey(press(' '), ctx)?.run(ctx);
    expect(calls).toEqual(['play', 'pause', 'play']);
    setRun({ ready: false, state: 'idle' });
    expect(commandForKey(press(' '), ctx)?.id).toBe('play');
    setRun({ ready: false, state: 'idle', queued: ['play'] });
    expect(commandForKey(press(' '), ctx)?.id).toBe('pause');
    setRun({ ready: false, state: 'error', error: { kind: 'backend', message: 'no backend', hint: 'reload' } });
    expect(commandForKey(press(' '), ctx)).toBeNull();
  });

  it('letters step, reset and toggle; Caps Lock does not matter, Shift does', () => {
    const { ctx, calls } = fakeCtx();
    setRun({ ready: true, state: 'paused' });
    for (const k of [press('s'), press('S'), press('a'), press('w'), press('r'), press('R', { shiftKey: true })]) {
      commandForKey(k, ctx)?.run(ctx);
    }
    expect(calls).toEqual(['step:both', 'step:both', 'step:arch', 'step:weights', 'reset:same', 'reset:new']);
    expect(settings.get().showDerived).toBe(false);
    commandForKey(press('d'), ctx)?.run(ctx);
    expect(settings.get().showDerived).toBe(true);
  });

  it('F toggles large text and M switches to the other theme (settings the appearance module applies)', () => {
    const { ctx } = fakeCtx();
    const before = settings.get().largeFont;
    commandForKey(press('f'), ctx)?.run(ctx);
    expect(settings.get().largeFont).toBe(!before);
    commandForKey(press('f'), ctx)?.run(ctx);
    expect(settings.get().largeFont).toBe(before);
    commandForKey(press('m'), ctx)?.run(ctx); // on screen: light (the appearance store's default)
    expect(settings.get().theme).toBe('dark');
  });

  it('leaves browser shortcuts alone and does not repeat toggles while a key is held', () => {
    const { ctx } = fakeCtx();
    setRun({ ready: true, state: 'paused' });
    expect(commandForKey(press('s', { ctrlKey: true }), ctx)).toBeNull();
    expect(commandForKey(press('r', { metaKey: true }), ctx)).toBeNull();
    expect(commandForKey(press('a', { altKey: true }), ctx)).toBeNull();
    expect(commandForKey(press(' ', { repeat: true }), ctx)).toBeNull();
    expect(commandForKey(press('s', { repeat: true }), ctx)?.id).toBe('step-both'); // steps may repeat
    expect(commandForKey(press('q'), ctx)).toBeNull();
  });

  it('? opens the help even before the run is ready', () => {
    const { ctx } = fakeCtx();
    setRun({ ready: false });
    expect(commandForKey(press('?', { shiftKey: true }), ctx)?.id).toBe('help');
  });
});

describe('the UI bus', () => {
  it('emit reaches the subscriber of that name only, and reports whether anyone took it', () => {
    const got: string[] = [];
    const offHelp = onUiCommand('help', () => got.push('help'));
    const offTour = onUiCommand('tour', () => got.push('tour'));
    expect(emitUiCommand('help')).toBe(true);
    expect(got).toEqual(['help']);
    offHelp();
    expect(emitUiCommand('help')).toBe(false);
    expect(got).toEqual(['help']);
    // Other code may listen on window directly, as the tour does.
    const seen: string[] = [];
    const raw = (e: Event) => seen.push((e as CustomEvent<string>).detail);
    window.addEventListener('darts:command', raw);
    commandById('tour').run(fakeCtx().ctx);
    window.removeEventListener('darts:command', raw);
    offTour();
    expect(seen).toEqual(['tour']);
    expect(got).toEqual(['help', 'tour']);
  });
});

describe('keyBelongsToFocus', () => {
  const make = (html: string) => {
    document.body.innerHTML = html;
    return document.body.firstElementChild!;
  };
  it('leaves every key to text fields, selects and dialogs', () => {
    for (const html of ['<input type="text">', '<input>', '<textarea></textarea>', '<select></select>', '<dialog open><button>x</button></dialog>']) {
      const el = make(html);
      const target = el.querySelector('button') ?? el;
      expect(keyBelongsToFocus(target, 's'), html).toBe(true);
      expect(keyBelongsToFocus(target, ' '), html).toBe(true);
    }
  });
  it('leaves only Space and Enter to buttons and checkboxes; letters still work there', () => {
    for (const html of ['<button>Play</button>', '<input type="checkbox">', '<svg><g class="edge" tabindex="0"></g></svg>']) {
      const el = make(html);
      const target = el.querySelector('.edge') ?? el;
      expect(keyBelongsToFocus(target, ' '), html).toBe(true);
      expect(keyBelongsToFocus(target, 'Enter'), html).toBe(true);
      expect(keyBelongsToFocus(target, 's'), html).toBe(false);
    }
    expect(keyBelongsToFocus(document.body, ' ')).toBe(false);
  });
});

describe('classroom links', () => {
  it('a hidden control also switches off its shortcut', async () => {
    const { linkExtras } = await import('./urlSync');
    const step = BUILTIN_COMMANDS.find((c) => c.id === 'step-both')!;
    expect(step.control).toBe('steps');
    const key = { key: 's', shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, repeat: false };
    const list = [{ ...step, enabled: () => true }];
    const ctx = {} as Parameters<typeof commandForKey>[1];
    expect(commandForKey(key, ctx, list)?.id).toBe('step-both');
    linkExtras.set((x) => ({ ...x, hidden: ['steps'] }));
    expect(commandForKey(key, ctx, list)).toBeNull();
    linkExtras.set((x) => ({ ...x, hidden: [] }));
  });
});

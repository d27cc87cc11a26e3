// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPEARANCE_STORAGE_KEY, appearance, parseStoredAppearance, resolveTheme, setLargeFont, setTheme, startAppearance } from './appearance';
import { settings } from './store';

/** A window whose prefers-color-scheme can be flipped. */
function fakeWindow(dark: boolean) {
  const listeners = new Set<() => void>();
  const mq = {
    matches: dark,
    addEventListener: (_: string, l: () => void) => listeners.add(l),
    removeEventListener: (_: string, l: () => void) => listeners.delete(l),
  };
  const win = { document, matchMedia: () => mq } as unknown as Window;
  return {
    win,
    flip(to: boolean) {
      mq.matches = to;
      listeners.forEach((l) => l());
    },
  };
}

let stop: (() => void) | null = null;
const initial = settings.get();
beforeEach(() => {
  localStorage.clear();
  settings.set(initial);
});
afterEach(() => {
  stop?.();
  stop = null;
  document.documentElement.removeAttribute('data-theme');
  document.documentElement.className = '';
});

describe('appearance', () => {
  it('parses the remembered choice field by field and ignores garbage', () => {
    expect(parseStoredAppearance(null)).toEqual({});
    expect(parseStoredAppearance('{oops')).toEqual({});
    expect(parseStoredAppearance('{"theme":"dark","largeFont":true}')).toEqual({ theme: 'dark', largeFont: true });
    expect(parseStoredAppearance('{"theme":"purple","largeFont":"yes"}')).toEqual({});
    expect(parseStoredAppearance('"dark"')).toEqual({});
  });

  it('resolves system through the media query', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('follows the system theme by default, live', () => {
    const f = fakeWindow(true);
    stop = startAppearance(f.win);
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(appearance.get().theme).toBe('dark');
    f.flip(false);
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(appearance.get().theme).toBe('light');
  });

  it('a chosen theme and large text override the system, apply to <html> and are remembered', () => {
    const f = fakeWindow(false);
    stop = startAppearance(f.win);
    setTheme('dark');
    setLargeFont(true);
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(document.documentElement.classList.contains('large-text')).toBe(true);
    expect(settings.get()).toMatchObject({ theme: 'dark', largeFont: true });
    expect(JSON.parse(localStorage.getItem(APPEARANCE_STORAGE_KEY)!)).toEqual({ theme: 'dark', largeFont: true });
    f.flip(true);
    f.flip(false);
    expect(document.documentElement.dataset.theme).toBe('dark');
    setLargeFont(false);
    expect(document.documentElement.classList.contains('large-text')).toBe(false);
  });

  it('restores the remembered choice on the next start', () => {
    localStorage.setItem(APPEARANCE_STORAGE_KEY, JSON.stringify({ theme: 'light', largeFont: true }));
    stop = startAppearance(fakeWindow(true).win);
    expect(settings.get()).toMatchObject({ theme: 'light', largeFont: true });
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(document.documentElement.classList.contains('large-text')).toBe(true);
  });
});

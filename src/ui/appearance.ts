/**
 * Theme and text size (issue 5 item 8): the user's choice lives in the settings store
 * (`theme`, `largeFont`, so the URL table can encode it too), is remembered in localStorage when
 * changed from the header, and is applied to the root element:
 *
 *  - `<html data-theme="light|dark">`: the CSS custom properties of src/ui/theme.css switch on
 *    it; 'system' resolves through `prefers-color-scheme` and follows it live;
 *  - `<html class="large-text">`: a larger root font size; everything sized in rem follows.
 *
 * Views that draw with colours in JS (D3 cells, legend, uPlot charts) cannot read CSS variables
 * in their attributes, so they subscribe to `appearance` (the resolved theme) and redraw.
 */
import { createStore } from './createStore';
import { settings, type Settings } from './store';

export type ThemeChoice = Settings['theme'];
export type ResolvedTheme = 'light' | 'dark';
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

export const APPEARANCE_STORAGE_KEY = 'darts-playground:appearance';

type Stored = Partial<Pick<Settings, 'theme' | 'largeFont'>>;

/** What localStorage remembers; anything malformed is ignored field by field. */
export function parseStoredAppearance(raw: string | null): Stored {
  if (!raw) return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return {};
  }
  if (!v || typeof v !== 'object') return {};
  const o = v as Record<string, unknown>;
  const out: Stored = {};
  if (typeof o.theme === 'string' && (THEME_CHOICES as readonly string[]).includes(o.theme)) out.theme = o.theme as ThemeChoice;
  if (typeof o.largeFont === 'boolean') out.largeFont = o.largeFont;
  return out;
}

export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): ResolvedTheme {
  return choice === 'system' ? (systemPrefersDark ? 'dark' : 'light') : choice;
}

/** The applied appearance, for JS-drawn views. */
export const appearance = createStore<{ theme: ResolvedTheme; largeFont: boolean }>({ theme: 'light', largeFont: false });

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // e.g. storage disabled by the browser
  }
}

function save(): void {
  const { theme, largeFont } = settings.get();
  try {
    storage()?.setItem(APPEARANCE_STORAGE_KEY, JSON.stringify({ theme, largeFont }));
  } catch {
    // Quota or privacy mode: the choice still holds for this visit.
  }
}

/** Header: choose a theme (remembered). */
export function setTheme(theme: ThemeChoice): void {
  settings.set((s) => (s.theme === theme ? s : { ...s, theme }));
  save();
}

/** Header: large text on or off (remembered). */
export function setLargeFont(largeFont: boolean): void {
  settings.set((s) => (s.largeFont === largeFont ? s : { ...s, largeFont }));
  save();
}

/**
 * Load the remembered choice into the settings, apply it to `<html>`, and keep applying it when
 * the settings or the system theme change. Call before the first render (no flash of the wrong
 * theme). Returns a function that stops following.
 */
export function startAppearance(win: Window = window): () => void {
  const stored = parseStoredAppearance(storage()?.getItem(APPEARANCE_STORAGE_KEY) ?? null);
  settings.set((s) => ({ ...s, ...stored }));
  const mq = typeof win.matchMedia === 'function' ? win.matchMedia('(prefers-color-scheme: dark)') : null;
  const apply = () => {
    const s = settings.get();
    const theme = resolveTheme(s.theme, mq?.matches ?? false);
    const root = win.document.documentElement;
    root.dataset.theme = theme;
    root.style.colorScheme = theme;
    root.classList.toggle('large-text', s.largeFont);
    appearance.set((a) => (a.theme === theme && a.largeFont === s.largeFont ? a : { theme, largeFont: s.largeFont }));
  };
  apply();
  const off = settings.subscribe(apply);
  mq?.addEventListener('change', apply);
  return () => {
    off();
    mq?.removeEventListener('change', apply);
  };
}

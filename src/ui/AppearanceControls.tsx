/**
 * Header toggles for the lecture hall (issue 5 item 8): large text and the colour theme.
 * Both are remembered (src/ui/appearance.ts) and live in the settings store.
 */
import { setLargeFont, setTheme, THEME_CHOICES, type ThemeChoice } from './appearance';
import { useStore } from './createStore';
import { settings } from './store';

const THEME_LABEL: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

export function AppearanceControls() {
  const theme = useStore(settings, (s) => s.theme);
  const largeFont = useStore(settings, (s) => s.largeFont);
  return (
    <div className="appearance" role="group" aria-label="Appearance">
      <button
        type="button"
        className="header-toggle"
        aria-pressed={largeFont}
        title="Larger text, for projectors"
        onClick={() => setLargeFont(!largeFont)}
      >
        <span aria-hidden="true" className="header-toggle-icon">
          A<small>A</small>
        </span>
        <span className="compact-hide">Large text</span>
      </button>
      <label className="theme-field">
        <span className="readout-label compact-hide">theme</span>
        <select aria-label="Theme" value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)}>
          {THEME_CHOICES.map((t) => (
            <option key={t} value={t}>
              {THEME_LABEL[t]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

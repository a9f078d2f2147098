/**
 * A manual light / dark override of the system's colour scheme. 'system' (the default) leaves the system
 * in charge (`color-scheme: light dark`); 'light' / 'dark' set `data-theme` on <html>, whose
 * `color-scheme` (theme.css) picks one side of every light-dark() colour, and which the Monaco theme
 * (monaco/color-scheme.ts) follows. Stored in localStorage: a display preference, never a token.
 */
export type ThemePreference = 'system' | 'light' | 'dark';

export const THEME_STORAGE_KEY = 'jwt-workbench.theme';
/** Dispatched on window when the preference changes, so live readers (the editors) follow. */
export const THEME_CHANGE_EVENT = 'workbench:theme';

const ORDER: readonly ThemePreference[] = ['system', 'dark', 'light'];

export function getThemePreference(): ThemePreference {
  try {
    const stored = localStorage.getItem(THEME_STORAGE_KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}

export function applyThemePreference(preference: ThemePreference): void {
  const root = document.documentElement;
  const before = root.dataset.theme;
  if (preference === 'system') delete root.dataset.theme;
  else root.dataset.theme = preference;
  // The editors' theme follows the override (monaco/color-scheme.ts keeps it until told).
  if (root.dataset.theme !== before) window.dispatchEvent(new CustomEvent(THEME_CHANGE_EVENT));
}

export function setThemePreference(preference: ThemePreference): void {
  try {
    if (preference === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // Storage disabled: the choice holds for this page only.
  }
  applyThemePreference(preference);
}

/** system → dark → light → system; returns the new preference. */
export function cycleThemePreference(): ThemePreference {
  const next = ORDER[(ORDER.indexOf(getThemePreference()) + 1) % ORDER.length]!;
  setThemePreference(next);
  return next;
}

/** The override set on <html>, if any: what the editors' theme follows before the system's. */
export function themeOverride(): 'light' | 'dark' | null {
  if (typeof document === 'undefined') return null;
  const value = document.documentElement.dataset.theme;
  return value === 'light' || value === 'dark' ? value : null;
}

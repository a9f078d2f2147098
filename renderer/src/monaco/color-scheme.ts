import { useSyncExternalStore } from 'react';
import { THEME_CHANGE_EVENT, themeOverride } from '../theme';

/** The system's light/dark preference, live, unless overridden (theme.ts): the editors follow it like the CSS does. */
export function useColorScheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, snapshot, () => 'light');
}

// One list, made on first use: React reads the snapshot at every render of every editor (each keystroke),
// and matchMedia builds a new list (and parses the query) at every call.
let list: MediaQueryList | null | undefined;
const query = (): MediaQueryList | null =>
  (list ??=
    typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null);

function subscribe(onChange: () => void): () => void {
  const list = query();
  list?.addEventListener('change', onChange);
  window.addEventListener(THEME_CHANGE_EVENT, onChange);
  return () => {
    list?.removeEventListener('change', onChange);
    window.removeEventListener(THEME_CHANGE_EVENT, onChange);
  };
}

function snapshot(): 'light' | 'dark' {
  return themeOverride() ?? (query()?.matches ? 'dark' : 'light');
}

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

// The scheme as last read while anything listens (null: read it afresh). React reads the snapshot at every render
// of every editor; the override and the media query are read only when they can have changed.
let current: 'light' | 'dark' | null = null;
let subscribers = 0;

function subscribe(onChange: () => void): () => void {
  const list = query();
  const changed = () => {
    current = null;
    onChange();
  };
  list?.addEventListener('change', changed);
  window.addEventListener(THEME_CHANGE_EVENT, changed);
  subscribers++;
  return () => {
    list?.removeEventListener('change', changed);
    window.removeEventListener(THEME_CHANGE_EVENT, changed);
    if (--subscribers === 0) current = null;
  };
}

function read(): 'light' | 'dark' {
  return themeOverride() ?? (query()?.matches ? 'dark' : 'light');
}

function snapshot(): 'light' | 'dark' {
  // Without a subscriber no change event would clear the cache: read afresh.
  if (subscribers === 0) return read();
  return (current ??= read());
}

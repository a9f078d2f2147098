import type { StoreApi } from 'zustand/vanilla';

/**
 * One notification per action. A keystroke's `setInput` sets the store several times (the decode, the claim
 * checks, the verdict, the known-secret check), and every set runs the selector of every mounted component
 * (some two hundred) to learn whether it must render. Inside `batch`, sets change the state at once (`get()`
 * sees each of them) while subscribers hear once, when the outermost batch ends, with the state from before it.
 * React renders once either way; this saves the selector runs of the sets in between.
 */
export interface NotifyBatcher<T> {
  batch<R>(action: () => R): R;
  /** The store as components and effects see it: its subscribers hear through the batcher. */
  attach(store: StoreApi<T>): StoreApi<T>;
}

type Listener<T> = (state: T, previous: T) => void;

export function createNotifyBatcher<T>(): NotifyBatcher<T> {
  const listeners = new Set<Listener<T>>();
  let depth = 0;
  // The state before the first set inside the outermost batch; set while a notification is held back.
  let held: { previous: T } | null = null;
  let source: StoreApi<T> | null = null;

  const notify = (state: T, previous: T) => {
    for (const listener of listeners) listener(state, previous);
  };

  return {
    batch(action) {
      depth++;
      try {
        return action();
      } finally {
        depth--;
        if (depth === 0 && held !== null && source !== null) {
          const { previous } = held;
          held = null;
          notify(source.getState(), previous);
        }
      }
    },
    attach(store) {
      source = store;
      store.subscribe((state, previous) => {
        if (depth > 0) held ??= { previous };
        else notify(state, previous);
      });
      return {
        ...store,
        subscribe(listener) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      };
    },
  };
}

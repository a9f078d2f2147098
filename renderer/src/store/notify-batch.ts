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
  /**
   * The `set` the slices get. Each set copies the whole state (some 160 members, 11 KB, garbage at once): inside a
   * batch only the first set copies, and later ones write into that copy, which nothing outside the batch has seen
   * yet (subscribers still hold the state from before it). Outside a batch every set copies, as zustand's does.
   */
  batchedSet(set: StoreApi<T>['setState'], get: () => T): StoreApi<T>['setState'];
  /** Subscribes through the batcher: inside a batch, heard once at its end. Slices subscribe with it too. */
  subscribe: StoreApi<T>['subscribe'];
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
  // The state object the current outermost batch made with its first set (see batchedSet).
  let draft: T | null = null;

  const subscribe = (listener: Listener<T>) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };

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
        if (depth === 0) draft = null;
        if (depth === 0 && held !== null && source !== null) {
          const { previous } = held;
          held = null;
          notify(source.getState(), previous);
        }
      }
    },
    batchedSet(set, get) {
      const replaceWith = set as (state: T, replace: true) => void;
      return ((partial: T | Partial<T> | ((state: T) => T | Partial<T>), replace?: boolean) => {
        const value = typeof partial === 'function' ? (partial as (state: T) => T | Partial<T>)(get()) : partial;
        if (replace) return replaceWith(value as T, true);
        // The copy is written into only while it is still the store's state (a set through the store API makes another).
        if (depth > 0 && draft !== null && draft === get()) {
          Object.assign(draft as object, value);
          return;
        }
        // A spread copies the state some three times faster than zustand's Object.assign({}, state, partial).
        replaceWith({ ...get(), ...value }, true);
        if (depth > 0) draft = get();
      }) as StoreApi<T>['setState'];
    },
    attach(store) {
      source = store;
      store.subscribe((state, previous) => {
        if (depth > 0) held ??= { previous };
        else notify(state, previous);
      });
      return { ...store, subscribe };
    },
    subscribe,
  };
}

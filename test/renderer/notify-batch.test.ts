// One notification per action (renderer/src/store/notify-batch.ts): what components hear of a keystroke.
import { describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { createWorkbenchStore } from '../../renderer/src/store';
import { createNotifyBatcher } from '../../renderer/src/store/notify-batch';
import { NOW, createFakeHost, makeToken } from './harness';

interface Counter {
  a: number;
  b: number;
}

function counterStore() {
  const batcher = createNotifyBatcher<Counter>();
  const store = batcher.attach(createStore<Counter>()(() => ({ a: 0, b: 0 })));
  const heard: Array<[Counter, Counter]> = [];
  store.subscribe((state, previous) => heard.push([state, previous]));
  return { batcher, store, heard };
}

describe('createNotifyBatcher', () => {
  it('outside a batch, every set is heard at once', () => {
    const { store, heard } = counterStore();
    store.setState({ a: 1 });
    store.setState({ b: 2 });
    expect(heard).toEqual([
      [{ a: 1, b: 0 }, { a: 0, b: 0 }],
      [{ a: 1, b: 2 }, { a: 1, b: 0 }],
    ]);
  });

  it('inside a batch, sets apply at once and are heard once at the end, with the state from before it', () => {
    const { batcher, store, heard } = counterStore();
    const seen = batcher.batch(() => {
      store.setState({ a: 1 });
      store.setState({ b: store.getState().a + 1 });
      expect(heard).toEqual([]);
      return store.getState();
    });
    expect(seen).toEqual({ a: 1, b: 2 });
    expect(heard).toEqual([[{ a: 1, b: 2 }, { a: 0, b: 0 }]]);
  });

  it('nested batches are heard when the outermost ends; a batch that set nothing is not heard', () => {
    const { batcher, store, heard } = counterStore();
    batcher.batch(() => {
      batcher.batch(() => store.setState({ a: 1 }));
      expect(heard).toEqual([]);
      store.setState({ a: 2 });
    });
    expect(heard).toEqual([[{ a: 2, b: 0 }, { a: 0, b: 0 }]]);
    batcher.batch(() => undefined);
    expect(heard).toHaveLength(1);
  });

  it('an action that throws is still heard, and the next set is heard at once', () => {
    const { batcher, store, heard } = counterStore();
    expect(() =>
      batcher.batch(() => {
        store.setState({ a: 1 });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(heard).toEqual([[{ a: 1, b: 0 }, { a: 0, b: 0 }]]);
    store.setState({ b: 1 });
    expect(heard).toHaveLength(2);
  });

  it('an unsubscribed listener hears nothing more', () => {
    const { store } = counterStore();
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    store.setState({ a: 1 });
    unsubscribe();
    store.setState({ a: 2 });
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

describe('batchedSet', () => {
  function slicedStore() {
    const batcher = createNotifyBatcher<Counter>();
    let set!: (partial: Partial<Counter>) => void;
    const store = batcher.attach(
      createStore<Counter>()((raw, get) => {
        set = batcher.batchedSet(raw, get);
        return { a: 0, b: 0 };
      }),
    );
    const heard: Array<[Counter, Counter]> = [];
    store.subscribe((state, previous) => heard.push([state, previous]));
    return { batcher, store, heard, set: (partial: Partial<Counter>) => set(partial) };
  }

  it('inside a batch, the first set copies the state and later ones write into that copy; the state before it is untouched', () => {
    const { batcher, store, heard, set } = slicedStore();
    const before = store.getState();
    batcher.batch(() => {
      set({ a: 1 });
      const copy = store.getState();
      expect(copy).not.toBe(before);
      set({ b: 2 });
      set({ a: 3 });
      expect(store.getState()).toBe(copy);
    });
    expect(before).toEqual({ a: 0, b: 0 });
    expect(heard).toEqual([[{ a: 3, b: 2 }, { a: 0, b: 0 }]]);
    expect(heard[0]![1]).toBe(before);
  });

  it('the next batch copies again, so what subscribers were handed is never written into', () => {
    const { batcher, store, heard, set } = slicedStore();
    batcher.batch(() => set({ a: 1 }));
    const handed = heard[0]![0];
    batcher.batch(() => {
      set({ a: 2 });
      set({ b: 2 });
    });
    expect(handed).toEqual({ a: 1, b: 0 });
    expect(store.getState()).toEqual({ a: 2, b: 2 });
  });

  it('a set through the store API inside a batch is kept: the next set copies the newer state', () => {
    const { batcher, store, set } = slicedStore();
    batcher.batch(() => {
      set({ a: 1 });
      store.setState({ b: 5 });
      set({ a: 2 });
    });
    expect(store.getState()).toEqual({ a: 2, b: 5 });
  });

  it('outside a batch each set makes a new state', () => {
    const { store, set } = slicedStore();
    set({ a: 1 });
    const first = store.getState();
    set({ a: 2 });
    expect(store.getState()).not.toBe(first);
    expect(first).toEqual({ a: 1, b: 0 });
  });
});

describe('the workbench store', () => {
  it('a keystroke (setInput) is one notification, though it sets decode, claim checks and the secret check', () => {
    const store = createWorkbenchStore({ host: createFakeHost(), now: () => NOW, verifyDelayMs: 250 });
    const token = makeToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'u1', iat: NOW, exp: NOW + 60 });
    const listener = vi.fn();
    store.subscribe(listener);
    store.getState().setInput(token);
    expect(listener).toHaveBeenCalledTimes(1);
    const [state, previous] = listener.mock.calls[0]!;
    expect(previous.input).toBe('');
    expect(state.decoded?.token).toBe(token);
    expect(state.claimChecks.length).toBeGreaterThan(0);
    expect(state.secretCheck).toMatchObject({ status: 'checking', token });
    store.getState().cancelVerify();
    store.getState().dropSecretCheck();
  });

  it('a key change, with its relint and verdict, is one notification', () => {
    const store = createWorkbenchStore({ host: createFakeHost(), now: () => NOW, verifyDelayMs: 250 });
    store.getState().setInput(makeToken({ alg: 'HS256' }, { sub: 'u1' }));
    const listener = vi.fn();
    store.subscribe(listener);
    store.getState().setKeyText('a-secret');
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]![0].verification.status).toBe('pending');
    store.getState().cancelVerify();
    store.getState().dropSecretCheck();
  });
});

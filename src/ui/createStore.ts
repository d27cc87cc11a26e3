/**
 * A minimal external store (tldraw/jotai style, anchors §5.3): state lives outside React and
 * components subscribe narrowly with `useSyncExternalStore`, so a fast-changing value re-renders
 * only what reads it.
 */
import { useSyncExternalStore } from 'react';

export interface Readable<T> {
  get(): T;
  subscribe(listener: () => void): () => void;
}

export interface Store<T> extends Readable<T> {
  set(next: T | ((prev: T) => T)): void;
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      const v = typeof next === 'function' ? (next as (prev: T) => T)(value) : next;
      if (Object.is(v, value)) return;
      value = v;
      for (const l of [...listeners]) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Read a slice of a store. The selector must return a primitive or a reference that is stable while
 * the slice does not change (a field of the state, not a freshly built object).
 */
export function useStore<T, S>(store: Readable<T>, selector: (state: T) => S): S {
  return useSyncExternalStore(
    store.subscribe,
    () => selector(store.get()),
    () => selector(store.get()),
  );
}

/**
 * A fake store whose calls stay pending until the test settles them, and fake timers fired by hand: the store
 * wrappers (deadline, breaker) are tested without a real backend and without sleeping.
 */
import type { Store, StoreEntry, StoreLookup, StoreSeq } from '../../src/stores/types.js';
import type { DeadlineTimers } from '../../src/stores/wrappers/deadline.js';

interface Pending<T> {
  readonly args: unknown;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** A store whose every call is recorded and left pending until `resolve`/`reject` is called on it. */
export interface ControlledStore extends Store {
  readonly calls: { get: Pending<StoreLookup>[]; set: Pending<number>[]; invalidate: Pending<StoreSeq>[]; close: number };
}

export function controlledStore(): ControlledStore {
  const calls: ControlledStore['calls'] = { get: [], set: [], invalidate: [], close: 0 };
  function pending<T>(list: Pending<T>[], args: unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => void list.push({ args, resolve, reject }));
  }
  return {
    calls,
    get: (keys: readonly string[]) => pending(calls.get, keys),
    set: (entries: readonly StoreEntry[]) => pending(calls.set, entries),
    invalidate: (tags: readonly string[]) => pending(calls.invalidate, tags),
    close: async () => void calls.close++,
  };
}

/** A store whose every call rejects with `error`, counting the calls. */
export function failingStore(error: Error): Store & { readonly calls: { get: number; set: number; invalidate: number } } {
  const calls = { get: 0, set: 0, invalidate: 0 };
  return {
    calls,
    get: async () => (calls.get++, Promise.reject(error)),
    set: async () => (calls.set++, Promise.reject(error)),
    invalidate: async () => (calls.invalidate++, Promise.reject(error)),
    close: async () => {},
  };
}

/** Timers that only fire when the test says so: `fire()` runs every armed timer. */
export function manualTimers(): DeadlineTimers & { readonly armed: number; fire(): void } {
  const timers = new Map<number, () => void>();
  let next = 0;
  return {
    setTimeout(callback) {
      timers.set(++next, callback);
      return next;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    get armed() {
      return timers.size;
    },
    fire() {
      const due = [...timers.values()];
      timers.clear();
      for (const callback of due) callback();
    },
  };
}

/** Lets pending promise callbacks run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

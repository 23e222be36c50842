/** A store decorator that records every call, so tests can count round trips. */
import type { Store, StoreEntry } from '../../src/stores/types.js';

export interface StoreCalls {
  get: string[][];
  set: StoreEntry[][];
  invalidate: string[][];
}

export function countingStore(inner: Store): Store & { calls: StoreCalls; reset(): void } {
  const calls: StoreCalls = { get: [], set: [], invalidate: [] };
  return {
    calls,
    reset() {
      calls.get.length = 0;
      calls.set.length = 0;
      calls.invalidate.length = 0;
    },
    get(keys) {
      calls.get.push([...keys]);
      return inner.get(keys);
    },
    set(entries) {
      calls.set.push([...entries]);
      return inner.set(entries);
    },
    invalidate(tags) {
      calls.invalidate.push([...tags]);
      return inner.invalidate(tags);
    },
    close() {
      return inner.close();
    },
    ...(inner.preferredCompressAboveBytes !== undefined ? { preferredCompressAboveBytes: inner.preferredCompressAboveBytes } : {}),
  };
}

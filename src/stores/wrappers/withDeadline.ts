/**
 * `withDeadline(store)`: bounds every call of any store, so a slow or hung
 * backend costs a bounded wait. Nothing is pretended: a read that overruns is
 * a miss, a write that overruns is reported, an invalidation that overruns is
 * not acknowledged.
 */
import { invalidOption, UnacknowledgedInvalidationError } from '../../errors.js';
import type { Store } from '../types.js';
import { type DeadlineTimers, isDeadlineMiss, raceDeadline } from './deadline.js';

/** Default deadline of `get`, in milliseconds (the Redis store's `readTimeoutMs` default too). */
export const defaultReadTimeoutMs = 50;
/** Default deadline of `set` and `invalidate`, in milliseconds (the Redis store's `writeTimeoutMs` default too). */
export const defaultWriteTimeoutMs = 250;

export interface DeadlineOptions {
  /** Deadline of `get`, in milliseconds. Default {@link defaultReadTimeoutMs}. */
  readTimeoutMs?: number;
  /** Deadline of `set` and `invalidate`, in milliseconds. Default {@link defaultWriteTimeoutMs}. */
  writeTimeoutMs?: number;
  /** The name errors give the store. Default `'store'`. */
  label?: string;
  /** Timer functions (tests fire deadlines by hand). Default: the global `setTimeout` and `clearTimeout`. */
  timers?: DeadlineTimers;
}

/**
 * Wraps a store so that:
 * - `get` rejects with `STORE_UNAVAILABLE` after `readTimeoutMs`: the cache serves those keys uncached (a miss,
 *   counted in `stats().errors`), never a value it could not check.
 * - `set` rejects with `STORE_UNAVAILABLE` after `writeTimeoutMs`: the cache reports it through its failure channel
 *   (logger, `stats().errors`, `strict`). The late write may still land; the store's own freshness rule
 *   (`fetchSeq`) keeps a late fill from serving stale data.
 * - `invalidate` rejects with `INVALIDATION_UNACKNOWLEDGED` (an `UnacknowledgedInvalidationError` naming every tag)
 *   after `writeTimeoutMs`: it is never reported as done when the store did not say so.
 * - `close` and everything else (`attach`, `pendingInvalidations`, `acquire`, ...) pass through.
 *
 * @example
 * ```ts
 * const store = withBreaker(withDeadline(myStore, { readTimeoutMs: 20 }));
 * ```
 */
export function withDeadline<S extends Store>(store: S, options: DeadlineOptions = {}): S {
  const factory = 'withDeadline';
  const readTimeoutMs = positiveInteger(factory, 'readTimeoutMs', options.readTimeoutMs ?? defaultReadTimeoutMs);
  const writeTimeoutMs = positiveInteger(factory, 'writeTimeoutMs', options.writeTimeoutMs ?? defaultWriteTimeoutMs);
  const label = options.label ?? 'store';
  const timers = options.timers;
  return Object.assign(Object.create(store) as S, {
    get: (keys: readonly string[]) => raceDeadline(store.get(keys), readTimeoutMs, `get of ${keys.length} key(s)`, label, timers),
    set: (entries: Parameters<Store['set']>[0]) =>
      raceDeadline(store.set(entries), writeTimeoutMs, `set of ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`, label, timers),
    invalidate: async (tags: readonly string[]) => {
      try {
        return await raceDeadline(store.invalidate(tags), writeTimeoutMs, `invalidate of ${tags.length} tag(s)`, label, timers);
      } catch (error) {
        // The store's own refusals pass as they are; only the deadline's is turned into "not acknowledged".
        if (!isDeadlineMiss(error)) throw error;
        throw new UnacknowledgedInvalidationError(
          `${label}: the invalidation of ${tags.length} tag(s) was not acknowledged within ${writeTimeoutMs} ms; it may still land, or not.`,
          tags,
          tags,
          { cause: error },
        );
      }
    },
  });
}

export function positiveInteger(factory: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw invalidOption(factory, option, 'a positive integer', value);
  return value;
}

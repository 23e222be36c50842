/**
 * `withBreaker(store)`: a circuit breaker around any store, so a backend that
 * keeps failing (or timing out, under `withDeadline`) costs callers nothing
 * until it answers again. A refused call fails like a failed one: a refused
 * read is a miss, a refused invalidation is never acknowledged. Reads and
 * fills share one breaker, invalidations have their own (see withBreaker).
 */
import { CacheTagError, UnacknowledgedInvalidationError } from '../../errors.js';
import type { Store } from '../types.js';
import { type BreakerState, type BreakerTicket, createBreaker, worstState } from './breaker.js';
import { positiveInteger } from './withDeadline.js';

/** Consecutive failures that open the circuit breaker (the Redis store's `breakerThreshold` default too). */
export const defaultBreakerThreshold = 5;
/** How long the open breaker refuses calls before it lets one probe through, in milliseconds (the Redis store's default too). */
export const defaultBreakerCooldownMs = 1000;

export interface BreakerOptions {
  /** Consecutive failures (rejected calls) that open the breaker. Default {@link defaultBreakerThreshold}. */
  threshold?: number;
  /** How long the open breaker refuses calls before one probe, in milliseconds. Default {@link defaultBreakerCooldownMs}. */
  cooldownMs?: number;
  /** The name errors give the store. Default `'store'`. */
  label?: string;
  /** A monotonic clock in milliseconds (tests advance it by hand). Default `performance.now()`. */
  now?: () => number;
  /** Told of the failure that opened the breaker (the moment to reset connections). */
  onOpen?(error: unknown): void;
  /** Told when a call succeeds after failures (the moment to retry what failed). */
  onRecover?(): void;
}

/** A store behind a breaker, with the breaker's state (for metrics and tests). */
export type BreakerStore<S extends Store> = S & {
  /** The worst state of the two breakers (reads and fills; invalidations). */
  readonly breakerState: BreakerState;
};

/**
 * Wraps a store in circuit breakers: after `threshold` consecutive rejected calls it opens and refuses calls at once;
 * after `cooldownMs` it lets one call through as a probe, whose outcome closes it or restarts the cooldown. There are
 * two breakers, each counting only its own calls: one for `get` and `set`, one for `invalidate`. Reads and fills run
 * under short deadlines and overrun them when the backend is merely slow; an invalidation waits longer (see
 * `withDeadline`) and must not be refused because fills were late. While open:
 * - `get` rejects with `STORE_UNAVAILABLE`: the cache serves those keys uncached.
 * - `set` rejects with `STORE_UNAVAILABLE`: the fill is dropped and the cache reports it.
 * - `invalidate` rejects with `INVALIDATION_UNACKNOWLEDGED` naming every tag: nothing pretends it landed.
 * `close` and everything else pass through. Put it outside `withDeadline`, so that overruns count as failures.
 */
export function withBreaker<S extends Store>(store: S, options: BreakerOptions = {}): BreakerStore<S> {
  const threshold = positiveInteger('withBreaker', 'threshold', options.threshold ?? defaultBreakerThreshold);
  const cooldownMs = positiveInteger('withBreaker', 'cooldownMs', options.cooldownMs ?? defaultBreakerCooldownMs);
  const label = options.label ?? 'store';
  const breaker = createBreaker(threshold, cooldownMs, options.now);
  const invalidationBreaker = createBreaker(threshold, cooldownMs, options.now);
  const open = `the circuit breaker of reads and fills is open after ${threshold} consecutive failures`;
  const invalidationsOpen = `the circuit breaker of invalidations is open after ${threshold} consecutive failures`;

  async function guarded<T>(ticket: BreakerTicket, call: () => Promise<T>, lane = breaker): Promise<T> {
    try {
      const result = await call();
      if (lane.success(ticket)) options.onRecover?.();
      return result;
    } catch (error) {
      if (lane.failure(ticket)) options.onOpen?.(error);
      throw error;
    }
  }

  const wrapped = Object.create(store) as BreakerStore<S>;
  Object.defineProperty(wrapped, 'breakerState', { get: () => worstState([breaker, invalidationBreaker]), enumerable: true });
  return Object.assign(wrapped, {
    get: (keys: readonly string[]) => {
      const ticket = breaker.allow();
      if (ticket === undefined) return Promise.reject(new CacheTagError('STORE_UNAVAILABLE', `${label}: ${open}; bypassing the cache.`));
      return guarded(ticket, () => store.get(keys));
    },
    set: (entries: Parameters<Store['set']>[0]) => {
      const ticket = breaker.allow();
      if (ticket === undefined) return Promise.reject(new CacheTagError('STORE_UNAVAILABLE', `${label}: ${open}; the fill was dropped.`));
      return guarded(ticket, () => store.set(entries));
    },
    invalidate: (tags: readonly string[]) => {
      const ticket = invalidationBreaker.allow();
      if (ticket === undefined) {
        return Promise.reject(
          new UnacknowledgedInvalidationError(`${label}: the invalidation of ${tags.length} tag(s) was not sent: ${invalidationsOpen}.`, tags, tags),
        );
      }
      return guarded(ticket, () => store.invalidate(tags), invalidationBreaker);
    },
  });
}

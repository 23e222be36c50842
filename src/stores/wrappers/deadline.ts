/**
 * A deadline around one store round trip, so a hung backend costs a bounded
 * wait and then a miss. Shared by the `withDeadline` store wrapper and the
 * Redis store's per-shard calls; its timers can be injected (tests).
 */
import { CacheTagError } from '../../errors.js';

/** The timer functions a deadline uses; the default is the global ones. A test passes its own to fire deadlines by hand. */
export interface DeadlineTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: DeadlineTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

const misses = new WeakSet<object>();

/** True for the rejection of a call that missed its deadline (not a failure the backend reported). */
export function isDeadlineMiss(error: unknown): boolean {
  return typeof error === 'object' && error !== null && misses.has(error);
}

/**
 * Settles with `promise`, or rejects with `STORE_UNAVAILABLE` ("<label>: <what>
 * missed its <ms> ms deadline.") after `ms` milliseconds, whichever comes
 * first. The late promise is left to settle on its own; its outcome is
 * ignored (and never becomes an unhandled rejection).
 */
export function raceDeadline<T>(promise: Promise<T>, ms: number, what: string, label = 'Redis store', timers: DeadlineTimers = realTimers): Promise<T> {
  promise.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const timer = timers.setTimeout(() => {
      const miss = new CacheTagError('STORE_UNAVAILABLE', `${label}: ${what} missed its ${ms} ms deadline.`);
      misses.add(miss);
      reject(miss);
    }, ms);
    promise.then(
      (value) => {
        timers.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        timers.clearTimeout(timer);
        reject(error);
      },
    );
  });
}

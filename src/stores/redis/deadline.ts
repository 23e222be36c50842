/** A deadline around one Redis round trip, so a hung server costs a bounded wait and then a miss. */
import { CacheTagError } from '../../errors.js';

/**
 * Settles with `promise`, or rejects with `STORE_UNAVAILABLE` after `ms`
 * milliseconds, whichever comes first. The late promise is left to settle on
 * its own; its outcome is ignored (and never becomes an unhandled rejection).
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  promise.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CacheTagError('STORE_UNAVAILABLE', `Redis store: ${what} missed its ${ms} ms deadline.`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

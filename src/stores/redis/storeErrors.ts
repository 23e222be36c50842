/** The errors the Redis store raises and reports, worded in one place so every path names Redis the same way. */
import { CacheTagError, UnacknowledgedInvalidationError } from '../../errors.js';

export function unacknowledged(missed: readonly string[], requested: readonly string[], why: string, cause?: unknown): UnacknowledgedInvalidationError {
  return new UnacknowledgedInvalidationError(
    `Redis store: Redis did not acknowledge the invalidation of ${missed.length} tag(s) (of ${requested.length} asked for): ${why}. They are kept pending in this process, which retries them in order and serves no cached read of them meanwhile; other processes may serve them until a retry lands.`,
    missed,
    requested,
    cause === undefined ? undefined : { cause },
  );
}

export function unavailable(message: string): CacheTagError {
  return new CacheTagError('STORE_UNAVAILABLE', `Redis store: ${message}.`);
}

export function asUnavailable(error: unknown, operation: string): CacheTagError {
  if (error instanceof CacheTagError && error.code === 'STORE_UNAVAILABLE') return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CacheTagError('STORE_UNAVAILABLE', `Redis store: ${operation} failed: ${message}`, { cause: error });
}

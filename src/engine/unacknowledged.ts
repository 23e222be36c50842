/**
 * One failure for every store: whatever a store's invalidate() rejected with, the caller of cache.invalidate() (and a
 * mutation) sees an UnacknowledgedInvalidationError naming the tags, so it can act on one code.
 */
import { UnacknowledgedInvalidationError, isUnacknowledgedInvalidation } from '../errors.js';

/** The store's rejection as an {@link UnacknowledgedInvalidationError} (unchanged when it already is one). */
export function asUnacknowledged(error: unknown, tags: readonly string[]): UnacknowledgedInvalidationError {
  if (isUnacknowledgedInvalidation(error)) return error;
  const why = error instanceof Error ? error.message : String(error);
  return new UnacknowledgedInvalidationError(
    `The store did not acknowledge the invalidation of ${tags.length} tag(s) (${why}); this store keeps no pending invalidations, so invalidate them again once it answers.`,
    tags,
    tags,
    { cause: error },
  );
}

/**
 * What the engine reports. Counters are plain integers (always on, they cost
 * an increment); per-event details go to a `node:diagnostics_channel`
 * channel that costs one `hasSubscribers` check when nobody listens.
 */
import diagnosticsChannel from 'node:diagnostics_channel';

/** The outcome of one cached field resolution. */
export type FieldOutcome =
  /** Served from the store without running the resolver. */
  | 'hit'
  /** Not in the store (or stale there): the resolver ran, or a concurrent flight's result was shared. */
  | 'miss'
  /** The cache was not used for this resolution; `reason` says why. */
  | 'bypass';

/** Why a field missed or bypassed the cache. */
export type FieldReason =
  | 'absent'
  | 'stale'
  | 'corrupt'
  | 'joined-flight'
  | 'no-session'
  | 'no-parent-identity'
  | 'tag-value-missing'
  /** A `@cacheTag` template's value makes a tag longer than `MAX_TAG_LENGTH`: the result cannot be tagged soundly. */
  | 'tag-too-long'
  /** An argument no key can be made of (a scalar whose `serialize` rejects it, an invalid Date, nesting too deep). */
  | 'unkeyable-args'
  | 'unresolved-type'
  | 'entity-without-key'
  | 'unserializable'
  | 'too-large'
  | 'null'
  | 'error'
  | 'store-error'
  /** Resolved inside a mutation operation: nothing of a write's operation is read from or written to the cache. */
  | 'mutation'
  /** A concurrent request's resolver call on the same key did not settle within `flightTimeoutMs`. */
  | 'flight-timeout'
  /** As many requests as `maxFlightJoiners` already waited on a concurrent resolver call on the same key. */
  | 'flight-full'
  /** A dynamic cache hint (PRIVATE or maxAge 0) kept the value out of a shared entry, now or on an earlier request. */
  | 'dynamic-hint';

/** Published on {@link fieldChannel} once per cached field resolution. */
export interface FieldEvent {
  readonly coordinate: string;
  readonly outcome: FieldOutcome;
  readonly reason?: FieldReason;
  readonly key?: string;
}

/** Published on {@link invalidationChannel} once per invalidation. */
export interface InvalidationEvent {
  readonly tags: readonly string[];
  /** `'mutation'` when a mutation field triggered it, `'api'` for `cache.invalidate()`. */
  readonly source: 'mutation' | 'api';
  readonly coordinate?: string;
}

/** `diagnostics_channel.subscribe('cachetag:field', (event: FieldEvent) => ...)` */
export const fieldChannel = diagnosticsChannel.channel('cachetag:field');
/** `diagnostics_channel.subscribe('cachetag:invalidation', (event: InvalidationEvent) => ...)` */
export const invalidationChannel = diagnosticsChannel.channel('cachetag:invalidation');

/** Cumulative counters of one cache. */
export interface CacheStats {
  hits: number;
  misses: number;
  bypasses: number;
  /** Misses answered by a concurrent flight instead of a resolver call. */
  joinedFlights: number;
  /** Entries handed to the store for writing. */
  fills: number;
  /** Invalidation calls acknowledged by the store. */
  invalidations: number;
  /** Invalidation calls the store did not acknowledge (`INVALIDATION_UNACKNOWLEDGED`); their tags are retried by the store. */
  unacknowledgedInvalidations: number;
  /** Tags the store holds for retry right now (a gauge, not a counter): the store's `pendingInvalidations`, 0 when it has none. */
  pendingInvalidations: number;
  /** Tags invalidated, summed over invalidations. */
  invalidatedTags: number;
  /** Operations answered from the operation tier, without execution. */
  operationHits: number;
  /** Eligible operations that executed (no stored response, or a stale one). */
  operationMisses: number;
  /** Operations the operation tier could not serve (not eligible, no session for a PRIVATE one, store failure). */
  operationBypasses: number;
  /** Operation responses handed to the store. */
  operationFills: number;
  /** Invalidations delivered to an `onInvalidate` listener (a forwarder), counted once per listener. */
  forwardedInvalidations: number;
  /** Failed `onInvalidate` deliveries that were retried. */
  forwardRetries: number;
  /** `onInvalidate` deliveries given up (attempts exhausted, queue full, or still pending at close), each with a warning. */
  droppedInvalidations: number;
  /** Store or codec failures, by error code. */
  errors: Record<string, number>;
  /** Cached field resolutions by coordinate (`Type.field`): bounded by the schema. */
  byCoordinate: Record<string, OutcomeCounts>;
  /** Misses and bypasses by `<outcome>:<reason>` (`miss:absent`, `bypass:no-session`): a fixed set ({@link FieldReason}). */
  byReason: Record<string, number>;
}

/** Hits, misses and bypasses of cached field resolutions (or of operations). */
export interface OutcomeCounts {
  hits: number;
  misses: number;
  bypasses: number;
}

export function createStats(): CacheStats {
  return {
    hits: 0,
    misses: 0,
    bypasses: 0,
    joinedFlights: 0,
    fills: 0,
    invalidations: 0,
    unacknowledgedInvalidations: 0,
    pendingInvalidations: 0,
    invalidatedTags: 0,
    operationHits: 0,
    operationMisses: 0,
    operationBypasses: 0,
    operationFills: 0,
    forwardedInvalidations: 0,
    forwardRetries: 0,
    droppedInvalidations: 0,
    errors: {},
    byCoordinate: {},
    byReason: {},
  };
}

/** A copy of the counters that the caller may keep: later increments do not reach it. */
export function copyStats(stats: CacheStats): CacheStats {
  const byCoordinate: Record<string, OutcomeCounts> = {};
  for (const [coordinate, counts] of Object.entries(stats.byCoordinate)) byCoordinate[coordinate] = { ...counts };
  return { ...stats, errors: { ...stats.errors }, byCoordinate, byReason: { ...stats.byReason } };
}

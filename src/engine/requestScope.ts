/**
 * Per-request state: the request's lookup DataLoader (all lookups of one tick
 * become one store call), and, when asked for, the debug records and the tags
 * the response depends on. Scopes are found through the GraphQL context
 * object in a WeakMap, so the engine needs nothing from the server framework.
 */
import DataLoader from 'dataloader';
import type { Store, StoreRead, StoreSeq } from '../stores/types.js';
import type { FieldOutcome, FieldReason } from '../metrics/events.js';

/** One cached field's story in a response, reported in `extensions` when debugging. */
export interface FieldDebugRecord {
  /** Response path: `product.reviews.0.author`. */
  readonly path: string;
  readonly coordinate: string;
  readonly outcome: FieldOutcome;
  readonly reason?: FieldReason;
  /** The store key. */
  readonly key?: string;
  /** A readable rendering of what the key is made of. */
  readonly keyParts?: string;
  readonly tags?: readonly string[];
}

export interface Lookup {
  readonly read: StoreRead;
  readonly seq: StoreSeq;
}

export interface RequestScopeOptions {
  /** Collect {@link FieldDebugRecord}s. */
  readonly debug?: boolean;
  /** Collect the tags of every cached field of the response (for CDN tag headers and the operation tier). */
  readonly collectTags?: boolean;
  /**
   * Give cached resolvers an `info.cacheControl` that throws (`DYNAMIC_HINT_UNSUPPORTED`): for servers where nobody
   * reads dynamic hints, so a resolver's hint cannot silently end up in a shared entry.
   */
  readonly refuseDynamicHints?: boolean;
}

/** Where an operation lookup that missed lets this request store its response. */
export interface OperationFill {
  readonly key: string;
  readonly seq: StoreSeq;
  /** True when the key is the PUBLIC one, shared by every session. */
  readonly shared: boolean;
  /** The maxAge of the operation by its static hints alone (a smaller one at run time came from a dynamic hint). */
  readonly staticMaxAge: number;
}

/**
 * The state of one request. Engine components hand state to each other only through its methods (the fields stay
 * readable for adapters: debug records, tags, PRIVATE, unacknowledged invalidations).
 */
export class RequestScope {
  readonly lookups: DataLoader<string, Lookup>;
  readonly debug: FieldDebugRecord[] | undefined;
  readonly tags: Set<string> | undefined;
  /** Tags invalidated by this request's mutations. */
  readonly invalidated = new Set<string>();
  /** Tags of this request's mutations the store did not acknowledge (reported in `extensions.cachetag.unacknowledged`). */
  readonly unacknowledged = new Set<string>();
  /**
   * Response paths of PRIVATE fields in this request (cached or not, PRIVATE by their policy, their selection or a
   * dynamic hint). A cached field below one of them is keyed by the session too: its parent is per-user data.
   */
  readonly privatePaths = new WeakSet<object>();
  /** True once the response holds PRIVATE data (a path was marked): its HTTP policy must be PRIVATE too. */
  hasPrivate = false;
  readonly refuseHints: boolean;
  /** Set when a cached field bypassed the cache: the response then depends on something uncached. */
  bypassed = false;
  /** The smallest TTL of the cached fields the response used, in milliseconds. */
  minTtlMs = Number.POSITIVE_INFINITY;
  /** The operation-tier entry this request may fill, set by an operation lookup that missed. */
  operation: OperationFill | undefined;

  constructor(store: Store, options: RequestScopeOptions = {}) {
    this.lookups = new DataLoader(
      async (keys: readonly string[]) => {
        const { values, seq } = await store.get(keys);
        return values.map((read) => ({ read, seq }));
      },
      // No memoization: a miss memoized for the whole request would hide a fill made later in it.
      { cache: false, maxBatchSize: 1000 },
    );
    this.debug = options.debug ? [] : undefined;
    this.tags = options.collectTags ? new Set() : undefined;
    this.refuseHints = options.refuseDynamicHints ?? false;
  }

  /** The response depends on these tags (kept only when tags are collected). */
  addTags(tags: Iterable<string>): void {
    if (this.tags) for (const tag of tags) this.tags.add(tag);
  }

  /** The response used a cached field: it lives no longer than the field's TTL. */
  usedCachedField(ttlMs: number): void {
    if (ttlMs < this.minTtlMs) this.minTtlMs = ttlMs;
  }

  /** A cached field bypassed the cache, or a tag could not be filled: the response must not be stored. */
  markBypassed(): void {
    this.bypassed = true;
  }

  /** A hit on an entry expiring at `expiresAt` (ms since the epoch): a response stored from it must expire with it. */
  usedEntryExpiringAt(expiresAt: number, clock: { now(): number }): void {
    if (this.operation) this.minTtlMs = Math.min(this.minTtlMs, expiresAt - clock.now());
  }

  /** The operation lookup missed: this request may store its response there. */
  expectOperationFill(fill: OperationFill): void {
    this.operation = fill;
  }

  /** The operation fill was made, or refused for good: nothing more to store for this request. */
  endOperationFill(): void {
    this.operation = undefined;
  }
}

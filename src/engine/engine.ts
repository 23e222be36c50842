/**
 * The engine: field-level caching of resolver results, with dependency tags.
 *
 * Terminology
 * - tag: a `:`-separated dependency path (`Product:42`, `Store:2:products`).
 *   Invalidating a tag invalidates everything tagged with it or below it.
 * - sequence / tag version: the store counts invalidations; a tag's version is
 *   the sequence at which it was last invalidated.
 * - entry: one resolver result in the store, with its tags (ancestors
 *   included) and the sequence its lookup saw before the resolver ran (its
 *   fetch sequence). It is fresh while no tag version exceeds that sequence.
 * - fence: that fetch sequence. A resolver that started before an
 *   invalidation carries an older fence, so its late fill is refused by the
 *   store and could not be read back anyway: no stale write survives an
 *   acknowledged invalidation.
 * - scope: PUBLIC entries are shared; PRIVATE entries are keyed by the session.
 * - flight: one running resolver whose result concurrent misses share.
 * - request scope: per-request state (the lookup DataLoader, debug records).
 *
 * The order of one cached resolution: key → batched lookup (hit: decode a
 * private copy) → miss: join a flight from the same sequence, or start one →
 * run the resolver → derive tags → encode (before anyone can mutate the
 * value) → queue the fill, fenced by the lookup's sequence.
 */
import type { GraphQLSchema } from 'graphql';
import { invalidOption } from '../errors.js';
import { createCodec, type Codec, type CodecOptions } from '../codec/codec.js';
import { createMemoryStore, type Clock } from '../stores/memory.js';
import type { Store } from '../stores/types.js';
import type { CachePlan } from './plan.js';
import { SingleFlight } from './singleFlight.js';
import { flightOptions, type FlightOptions } from './flightOptions.js';
import { versionOption } from './version.js';
import { FillQueue } from './fillQueue.js';
import { NarrowedKeys } from './narrowedKeys.js';
import { sessionScopeOf } from './sessionScope.js';
import { createRequestScopes } from './requestScopes.js';
import { createFailures, type Logger } from './failures.js';
import { createFieldReporter } from './fieldReport.js';
import { createFieldTier } from './fieldTier.js';
import { createInvalidation, type EntityRef, type InvalidationSink } from './invalidation.js';
import { createSchemaPlans } from './instrument.js';
import { createOperationTier } from './operation/index.js';
import { copyStats, createStats, type CacheStats } from '../metrics/events.js';
import { startLiveCounters, type LiveCountersOption } from './liveCounters.js';
import { createInvalidationDelivery, type InvalidationDeliveryOptions, type InvalidationListener } from './invalidationDelivery.js';
import { registerEnginePort, type EnginePort } from './port.js';

export type { Logger } from './failures.js';
export type { EntityRef, InvalidationSink } from './invalidation.js';
export { queryHash } from './operation/index.js';
export type { EnginePort } from './port.js';
export type { OperationOutcome, OperationPolicy, OperationRequest, StoredResponse, StoredResponseOptions, StoredResponseRequest } from './operation/index.js';

/** Reads the session id of a request from its GraphQL context; `undefined` or `null` means "no session". */
export type SessionIdFunction = (context: unknown) => string | number | null | undefined;

/** Default `sessionId`: none, so PRIVATE fields are rejected at schema build. */
export const defaultSessionId: SessionIdFunction | undefined = undefined;

export interface CacheOptions extends FlightOptions {
  /** Where entries live. Default: `createMemoryStore()` (bounded, in-process). */
  store?: Store;
  /**
   * Keys PRIVATE data per user. Required when the schema has `@cacheControl(scope: PRIVATE)`. Must return a string or
   * a finite number (anything else throws `INVALID_SESSION_ID` on the first request that needs it).
   */
  sessionId?: SessionIdFunction;
  /** A codec, or options for the default msgpackr + lz4 codec. */
  codec?: Codec | CodecOptions;
  /** Rethrow store and codec failures instead of treating them as misses (for tests). Default false. */
  strict?: boolean;
  /** Receives one warning per distinct problem. Default: `console`. */
  logger?: Logger;
  /**
   * The wall clock, in milliseconds since the epoch, behind the expiry time written into each field entry (so a
   * response stored from a hit expires with the entry; see `fillOperation`). Default `Date`. Processes sharing a
   * store should agree on the time: a clock ahead shortens what they store, one behind lengthens it by the skew.
   */
  clock?: Clock;
  /**
   * What this deploy's resolvers return, as a string that changes when they do (a release, a commit). It enters
   * every key but no tag: deploys with one SDL and different resolvers never read each other's entries, and
   * invalidations still reach every version. Default: none (keys depend on the schema alone).
   */
  version?: string;
  /**
   * Called with every invalidation once the store acknowledged it (its tags, its source), to forward it to the caches
   * in front of this one: `cachetag/forwarders` has ready-made ones for Apollo Router, Fastly and Cloudflare. Delivered
   * off the mutation's path, at least once, retried with backoff; see {@link CacheOptions.invalidationDelivery}.
   */
  onInvalidate?: InvalidationListener | readonly InvalidationListener[];
  /** Retries, timeout and queue bound of the `onInvalidate` deliveries. */
  invalidationDelivery?: InvalidationDeliveryOptions;
  /**
   * Hands the store, about once a second (`{ intervalMs }`), what the hit, miss and bypass counters moved by, by
   * coordinate and by reason, when the store adds them up across processes (the Redis store: one write per second per
   * process, read by `cachetag stats --redis`). `false` turns it off. Default on.
   */
  liveCounters?: LiveCountersOption;
}

/** A cache: give it a schema (through the Apollo plugin or {@link Cache.instrumentSchema}) and it caches resolver results. */
export interface Cache {
  readonly store: Store;
  /**
   * Invalidates tags and everything below them (`'Org:1'` covers
   * `'Org:1:stores:2'`). Resolves once the store acknowledged it; from then
   * on no read returns an entry that depends on them. Otherwise rejects with
   * an `UnacknowledgedInvalidationError` (`INVALIDATION_UNACKNOWLEDGED`, whatever
   * the store's own failure was). Throws `INVALID_TAG` for a malformed tag,
   * before invalidating anything.
   */
  invalidate(tags: string | readonly string[]): Promise<void>;
  /**
   * Invalidates entities changed outside GraphQL, as a mutation returning
   * them would: each entity's tag, its type-level tags, and the scoped lists
   * it belongs in (from the filtered fields it carries). Each entity is a
   * raw object with `__typename` and its key fields. Needs an instrumented
   * schema (the most recent one is used).
   */
  invalidateEntities(entities: readonly EntityRef[]): Promise<void>;
  /**
   * Validates the schema's cache directives (throwing one
   * `CacheTagSchemaError` listing every problem) and wraps, in place, the
   * resolvers of cached fields and mutation fields. Idempotent.
   */
  instrumentSchema(schema: GraphQLSchema): CachePlan;
  /** @deprecated Adapter plumbing, kept as a pass-through: integrations use {@link adapterOf}(cache) (`EnginePort.planOf`). */
  planOf: EnginePort['planOf'];
  /** @deprecated Adapter plumbing, kept as a pass-through: integrations use {@link adapterOf}(cache) (`EnginePort.beginRequest`). */
  beginRequest: EnginePort['beginRequest'];
  /** @deprecated Adapter plumbing, kept as a pass-through: integrations use {@link adapterOf}(cache) (`EnginePort.requestScope`). */
  requestScope: EnginePort['requestScope'];
  /** @deprecated Adapter plumbing, kept as a pass-through: integrations use {@link adapterOf}(cache) (`EnginePort.lookupOperation`). */
  lookupOperation: EnginePort['lookupOperation'];
  /** @deprecated Adapter plumbing, kept as a pass-through: integrations use {@link adapterOf}(cache) (`EnginePort.fillOperation`). */
  fillOperation: EnginePort['fillOperation'];
  /**
   * The operation tier's HTTP fast path for an already screened request (see `EnginePort.storedResponse`). Prefer the
   * adapter's `answer()` (`adapterOf(cache)`, or a drop-in), which screens the raw HTTP request first.
   */
  storedResponse: EnginePort['storedResponse'];
  /**
   * Adds a listener for acknowledged invalidations, as {@link CacheOptions.onInvalidate} does; returns the function
   * that removes it.
   */
  onInvalidate(listener: InvalidationListener): () => void;
  /** Cumulative counters. */
  stats(): CacheStats;
  /** Resolves when every queued fill has been written and every `onInvalidate` delivery made or dropped. Tests use it instead of sleeping. */
  idle(): Promise<void>;
  /**
   * Routes the invalidations of the mutations run with this GraphQL context to `sink` instead of the store (a
   * transactional outbox writing them in the request's database transaction, see `cachetag/outbox`); `undefined`
   * stops routing. A rejection of `sink` fails the mutation field, so the transaction is not committed without them.
   */
  deferInvalidations(context: object, sink: InvalidationSink | undefined): void;
  /**
   * Waits for pending fills and `onInvalidate` deliveries (up to `invalidationDelivery.closeTimeoutMs`, then drops
   * them) and closes the store, which keeps delivering its pending invalidations within its own
   * deadline (Redis: `invalidateTimeoutMs`), and resolves to the tags it could not deliver (the built-in stores never reject).
   */
  close(): Promise<CloseResult>;
}

/** What {@link Cache.close} could not deliver. */
export interface CloseResult {
  /** Tags whose invalidation the store never acknowledged: other processes may serve entries carrying them until they expire. */
  readonly undelivered: readonly string[];
}

/** Creates a cache. See {@link CacheOptions}. */
export function createCache(options: CacheOptions = {}): Cache {
  if (options === null || typeof options !== 'object') throw invalidOption('createCache', 'options', 'an object', options);
  const store = options.store ?? createMemoryStore();
  for (const method of ['get', 'set', 'invalidate', 'close'] as const) {
    if (typeof store?.[method] !== 'function') throw invalidOption('createCache', 'store', 'a Store (an object with get, set, invalidate and close)', store);
  }
  if (options.sessionId !== undefined && typeof options.sessionId !== 'function') {
    throw invalidOption('createCache', 'sessionId', 'a function (context) => string | undefined', options.sessionId);
  }
  const codec: Codec =
    options.codec && 'encode' in options.codec
      ? options.codec
      : createCodec({
          ...(store.preferredCompressAboveBytes !== undefined ? { compressAboveBytes: store.preferredCompressAboveBytes } : {}),
          ...(options.codec as CodecOptions | undefined),
        });
  if (options.clock !== undefined && typeof options.clock?.now !== 'function') {
    throw invalidOption('createCache', 'clock', 'an object with a now() method returning milliseconds since the epoch', options.clock);
  }
  const clock: Clock = options.clock ?? Date;
  const version = versionOption(options.version);
  const sessionId = options.sessionId;
  const stats = createStats();
  const failures = createFailures({ strict: options.strict ?? false, logger: options.logger ?? console, stats });
  // The store reports what it absorbs through the same channel (StoreHost.report).
  store.attach?.({ logger: options.logger ?? console, report: (error, operation) => failures.absorbed(error, operation) });
  // Flight deadlines read the cache's clock too, so a test that injects one controls them with it.
  const flights = new SingleFlight({ ...flightOptions(options), now: () => clock.now() });
  const scopes = createRequestScopes(store);
  // Field and operation keys whose resolvers narrowed the policy with a dynamic hint (PRIVATE or maxAge 0).
  const narrowedKeys = new NarrowedKeys();
  const deliveries = createInvalidationDelivery(options, stats, failures.warnOnce);
  const fills = new FillQueue(store, (error) => failures.failed(error, 'Writing cache entries'));
  const report = createFieldReporter(stats);
  const snapshot = (): CacheStats => ({ ...copyStats(stats), pendingInvalidations: store.pendingInvalidations ?? 0 });
  const live = startLiveCounters(store, snapshot, options.liveCounters);
  /** `PRIVATE:<session>` for the request's session, or undefined when it has none. */
  const privateScopeOf = (context: unknown): string | undefined => (sessionId ? sessionScopeOf(sessionId(context)) : undefined);

  const fieldTier = createFieldTier({ store, codec, clock, stats, failures, flights, fills, narrowedKeys, scopes, report, privateScopeOf });
  const invalidation = createInvalidation({
    store,
    stats,
    failures,
    scopes,
    report,
    latestPlan: () => plans.latest(),
    acknowledged: (event) => deliveries.dispatch(event),
  });
  const plans = createSchemaPlans({
    hasSessionId: sessionId !== undefined,
    version,
    scopes,
    failures,
    resolveCached: fieldTier.resolveCached,
    resolveInMutation: invalidation.resolveInMutation,
    resolveMutation: invalidation.resolveMutation,
  });
  const operations = createOperationTier({ store, codec, stats, failures, fills, narrowedKeys, scopes, plans, privateScopeOf });

  const port: EnginePort = {
    planOf: plans.planOf,
    beginRequest: scopes.begin,
    requestScope: (context) => scopes.find(context),
    lookupOperation: operations.lookupOperation,
    storedResponse: operations.storedResponse,
    fillOperation: operations.fillOperation,
  };
  const cache: Cache = {
    store,
    invalidate: invalidation.invalidate,
    invalidateEntities: invalidation.invalidateEntities,
    instrumentSchema: plans.instrument,
    ...port,
    deferInvalidations: invalidation.deferInvalidations,
    onInvalidate(listener) {
      return deliveries.add(listener);
    },
    stats: snapshot,
    async idle() {
      await fills.idle();
      await deliveries.idle();
    },
    async close() {
      await fills.idle();
      await deliveries.close();
      await live?.stop();
      const result = await store.close();
      return { undelivered: [...(result?.undelivered ?? [])] };
    },
  };
  // The port has what the cache's deprecated pass-throughs do not: the two-step fill.
  registerEnginePort(cache, { ...port, prepareOperationFill: operations.prepareOperationFill });
  return cache;
}

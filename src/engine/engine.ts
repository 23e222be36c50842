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
import {
  getNamedType,
  isAbstractType,
  isLeafType,
  isObjectType,
  type DocumentNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { CacheTagError, invalidOption, isUnacknowledgedInvalidation } from '../errors.js';
import { asUnacknowledged } from './unacknowledged.js';
import { assertValidCacheDirectives } from '../directives/validate.js';
import { createCodec, type Codec, type CodecOptions } from '../codec/codec.js';
import { assertEncodable } from '../codec/encodable.js';
import { createMemoryStore, type Clock } from '../stores/memory.js';
import type { Store, StoreRead, StoreSeq } from '../stores/types.js';
import { hash as cryptoHash } from 'node:crypto';
import { assertValidTag, expandTags } from '../tags/hierarchy.js';
import { addEntityTags, deriveEntityTags, entityIdentity, type DeriveProblem } from '../tags/derive.js';
import { describeUnfilled, fillTagTemplate, literalPrefix } from '../tags/template.js';
import { deriveTagsAwaitingTypes } from '../tags/deriveAwaitingTypes.js';
import { allListsTag, entityListTags, listEntryTag } from '../tags/listTags.js';
import { canonicalize, describeKey, entryKey, type KeyParts } from './key.js';
import { canonicalArguments } from './argumentKey.js';
import { buildCachePlan, type CachePlan, type FieldPlan } from './plan.js';
import { SingleFlight, type FlightResult, type JoinedResult } from './singleFlight.js';
import { flightOptions, type FlightOptions } from './flightOptions.js';
import { versionOption, versionedSchemaHash } from './version.js';
import { analyzeOperation, operationKey } from './operation.js';
import { memoizeString } from './memo.js';
import { cacheControlValue, staticCachePolicy } from './policy.js';
import { FillQueue } from './fillQueue.js';
import { isPrivateHere, markPrivate } from './privacy.js';
import { readHintNarrowing, refuseDynamicHints } from './dynamicHints.js';
import { NarrowedKeys } from './narrowedKeys.js';
import { sessionScopeOf } from './sessionScope.js';
import { RequestScope, type FieldDebugRecord, type Lookup, type RequestScopeOptions } from './requestScope.js';
import { instrumentEntityResolution } from '../federation/entityResolution.js';
import { createInvalidationDelivery, type InvalidationDeliveryOptions, type InvalidationListener } from './invalidationDelivery.js';
import { createStats, fieldChannel, invalidationChannel, type CacheStats, type FieldEvent, type FieldReason } from '../metrics/events.js';

/** What the operation tier needs to know about a request. */
export interface OperationRequest {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName?: string | null;
  readonly variables?: Readonly<Record<string, unknown>> | null;
  /** The SHA-256 hex digest of the query text: Apollo's `queryHash`, or {@link queryHash}(text). */
  readonly queryHash: string;
}

/** The HTTP cache policy stored with an operation response. */
export interface OperationPolicy {
  readonly maxAge?: number;
  readonly scope?: 'PUBLIC' | 'PRIVATE';
}

/** A GraphQL request as received over HTTP. */
export interface StoredResponseRequest {
  readonly query?: unknown;
  /**
   * The SHA-256 hex digest of the query text, for a persisted query sent without its text: the stored response is
   * found by it alone. Only pass a hash the server has registered (it would refuse the others).
   */
  readonly queryHash?: string;
  readonly variables?: unknown;
  readonly operationName?: unknown;
}

/** Which server's stored response {@link Cache.storedResponse} looks for. */
export interface StoredResponseOptions {
  /**
   * The schema of the server the request is for (an instrumented one). Required as soon as the cache has instrumented
   * more than one schema (several servers on one cache, or a server whose schema was replaced): without it the fast
   * path cannot tell whose stored response to answer with, and answers none.
   */
  readonly schema?: GraphQLSchema;
  /**
   * The session of the request, as `sessionId(context)` would return it for the context the server will build: the
   * PRIVATE stored response of that session may answer too. Without it only PUBLIC stored responses answer.
   */
  readonly sessionId?: string | null;
}

/** A stored response, ready to send. */
export interface StoredResponse {
  /** The response body: `{"data":...}` and a newline, as Apollo Server writes it. */
  readonly body: string;
  /**
   * The same body as UTF-8 bytes, as stored: write these when the server accepts bytes (`response.end(bytes)`), which
   * spares decoding the text and encoding it again. They are this call's own copy: modifying them changes nothing
   * stored.
   */
  readonly bytes: Uint8Array;
  /** The `Cache-Control` value of the original response (`max-age=60, public`), when it had one. */
  readonly cacheControl?: string;
  /** The tags the response depends on. */
  readonly tags: readonly string[];
}

/** What the operation tier did for one request. */
export type OperationOutcome =
  | { readonly outcome: 'hit'; readonly key: string; readonly data: unknown; readonly tags: readonly string[]; readonly policy?: OperationPolicy }
  | { readonly outcome: 'miss'; readonly key: string; readonly reason: 'absent' | 'stale' | 'corrupt' }
  | { readonly outcome: 'bypass'; readonly reason: string };

/** An entity changed outside GraphQL: its typename, key fields, and the fields its lists filter by. */
export interface EntityRef {
  readonly __typename: string;
  readonly [field: string]: unknown;
}

/** Reads the session id of a request from its GraphQL context; `undefined` or `null` means "no session". */
export type SessionIdFunction = (context: unknown) => string | number | null | undefined;

/** Where warnings go. */
export interface Logger {
  warn(message: string): void;
}

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
  /** The plan of an instrumented schema. */
  planOf(schema: GraphQLSchema): CachePlan | undefined;
  /**
   * Opens the per-request scope for a GraphQL context object. Optional: a
   * context seen for the first time gets a default scope. Adapters call it
   * to ask for debug records or response tags.
   */
  beginRequest(context: object, options?: RequestScopeOptions): RequestScope;
  /** The scope of a context, if one was opened. */
  requestScope(context: object): RequestScope | undefined;
  /**
   * The operation tier, step 1 (adapters call it before execution): answers
   * an eligible query from its stored response, or remembers, in the
   * request scope, where a fresh response may be stored.
   */
  lookupOperation(context: object, request: OperationRequest): Promise<OperationOutcome>;
  /**
   * The operation tier, step 2 (after execution): stores the response when
   * the lookup missed, execution had no error and no cached field bypassed
   * the cache. `policy` is what an HTTP cache may be told on later hits.
   */
  fillOperation(context: object, result: { data?: unknown; errors?: readonly unknown[] }, policy?: OperationPolicy): boolean;
  /**
   * The operation tier's HTTP fast path: the stored response of a PUBLIC
   * query, as the JSON text to send, found from the request as received (query
   * text, variables, operation name), without parsing or executing anything.
   * Undefined when there is none (then hand the request to the server, which
   * executes it and may store its response). Call it before your GraphQL
   * server only where skipping the server's own plugins for such a response is
   * acceptable (they do not run on a fast-path answer). Pass the GraphQL
   * context object the server will use, and a miss here spares the
   * server's operation lookup its store call. Stored responses belong to the schema that produced them: name it
   * (`{ schema }`, or use the Apollo plugin's own `storedResponse`) when the cache serves more than one schema;
   * unnamed, the only instrumented schema is used, and none (undefined) when there are several.
   */
  storedResponse(request: StoredResponseRequest, context?: object, options?: StoredResponseOptions): Promise<StoredResponse | undefined>;
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
   * deadline (Redis: `writeTimeoutMs`), and resolves to the tags it could not deliver (the built-in stores never reject).
   */
  close(): Promise<CloseResult>;
}

/** Receives a request's mutation invalidations instead of the store; see {@link Cache.deferInvalidations}. */
export type InvalidationSink = (tags: readonly string[]) => Promise<void>;

/** What {@link Cache.close} could not deliver. */
export interface CloseResult {
  /** Tags whose invalidation the store never acknowledged: other processes may serve entries carrying them until they expire. */
  readonly undelivered: readonly string[];
}

const ORIGINAL_RESOLVER = Symbol('cachetag.originalResolver');
const FAST_PATH_MISS = Symbol('cachetag.fastPathMiss');
interface FastPathMiss {
  readonly key: string;
  readonly seq: StoreSeq;
  readonly read: 'absent' | 'stale';
}
type Resolver = GraphQLFieldResolver<unknown, unknown>;
type WrappedResolver = Resolver & { [ORIGINAL_RESOLVER]?: Resolver | undefined };

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
  store.attach?.({ logger: options.logger ?? console });
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
  const strict = options.strict ?? false;
  const logger: Logger = options.logger ?? console;
  const stats = createStats();
  // Flight deadlines read the cache's clock too, so a test that injects one controls them with it.
  const flights = new SingleFlight({ ...flightOptions(options), now: () => clock.now() });
  const scopes = new WeakMap<object, RequestScope>();
  const sinks = new WeakMap<object, InvalidationSink>();
  const plans = new WeakMap<GraphQLSchema, CachePlan>();
  let latestPlan: CachePlan | undefined;
  // Distinct schemas instrumented so far: with more than one, an unnamed storedResponse() cannot know whose it is.
  let instrumentedSchemas = 0;
  const warned = new Set<string>();
  // Field and operation keys whose resolvers narrowed the policy with a dynamic hint (PRIVATE or maxAge 0).
  const narrowedKeys = new NarrowedKeys();

  function warnOnce(id: string, message: string): void {
    if (warned.has(id)) return;
    warned.add(id);
    logger.warn(`[cachetag] ${message}`);
  }

  function storeFailed(error: unknown, what: string): void {
    const code = error instanceof CacheTagError ? error.code : 'STORE_UNAVAILABLE';
    stats.errors[code] = (stats.errors[code] ?? 0) + 1;
    warnOnce(
      `store:${what}:${code}`,
      `${what} failed (${code}): ${(error instanceof Error ? error.message : String(error)).replace(/\.+$/, '')}. Serving uncached; further ${code} failures of this kind are counted in stats().errors, not logged.`,
    );
  }

  const deliveries = createInvalidationDelivery(options, stats, warnOnce);

  const fills = new FillQueue(store, (error) => {
    if (strict) throw error;
    storeFailed(error, 'Writing cache entries');
  });

  function scopeOf(context: unknown): RequestScope {
    if (context === null || typeof context !== 'object') return new RequestScope(store);
    let scope = scopes.get(context);
    if (!scope) {
      scope = new RequestScope(store);
      scopes.set(context, scope);
    }
    return scope;
  }

  function report(scope: RequestScope, info: GraphQLResolveInfo, plan: FieldPlan, event: FieldEvent, keyParts?: KeyParts, tags?: readonly string[]): void {
    if (event.outcome === 'hit') stats.hits++;
    else if (event.outcome === 'miss') stats.misses++;
    else stats.bypasses++;
    if (event.outcome === 'bypass') scope.bypassed = true;
    else if (plan.ttlMs < scope.minTtlMs) scope.minTtlMs = plan.ttlMs;
    if (tags && scope.tags) for (const tag of tags) scope.tags.add(tag);
    if (fieldChannel.hasSubscribers) fieldChannel.publish(event);
    if (scope.debug) {
      const record: FieldDebugRecord = {
        path: pathOf(info),
        coordinate: plan.coordinate,
        outcome: event.outcome,
        ...(event.reason ? { reason: event.reason } : {}),
        ...(event.key ? { key: event.key } : {}),
        ...(keyParts ? { keyParts: describeKey(keyParts) } : {}),
        ...(tags ? { tags } : {}),
      };
      scope.debug.push(record);
    }
  }

  /** The parent's identity and own tags, or undefined when the parent cannot be identified. */
  function parentOf(cachePlan: CachePlan, plan: FieldPlan, source: unknown): { identity: string; tags: string[] } | undefined {
    if (cachePlan.schema.getQueryType()?.name === plan.typeName) return { identity: '', tags: [] };
    const typeInfo = cachePlan.types.get(plan.typeName);
    if (typeInfo?.keyFields) {
      const identity = entityIdentity(typeInfo, source);
      if (!identity) return undefined;
      const tags = new Set<string>();
      addEntityTags(typeInfo, identity, tags);
      return { identity: identity.tag, tags: [...tags] };
    }
    // A non-entity parent is identified by its whole value.
    try {
      assertEncodable(source, () => plan.coordinate);
      return { identity: `~${canonicalize(source)}`, tags: [] };
    } catch {
      return undefined;
    }
  }

  /** `PRIVATE:<session>` for the request's session, or undefined when it has none. */
  function privateScopeOf(context: unknown): string | undefined {
    return sessionId ? sessionScopeOf(sessionId(context)) : undefined;
  }

  async function resolveCached(
    cachePlan: CachePlan,
    plan: FieldPlan,
    resolve: Resolver,
    source: unknown,
    args: Record<string, unknown>,
    context: unknown,
    info: GraphQLResolveInfo,
  ): Promise<unknown> {
    // A write's operation reads nothing from the cache and stores nothing (namespaced mutations resolve below the root).
    if (info.operation.operation === 'mutation') return resolveInMutation(cachePlan, plan, resolve, source, args, context, info);
    const scope = scopeOf(context);
    const bypass = async (reason: FieldReason, keyParts?: KeyParts) => {
      report(scope, info, plan, { coordinate: plan.coordinate, outcome: 'bypass', reason }, keyParts);
      const value: unknown = await resolve(source, args, context, info);
      // Not stored, but a PRIVATE hint still makes what resolves below it per session.
      if (readHintNarrowing(info, true).narrowed === 'private') markPrivate(scope, info.path);
      return value;
    };

    if (scope.refuseHints) refuseDynamicHints(info, plan);
    let scopeId = 'PUBLIC';
    const isPrivate = plan.scope === 'PRIVATE' || isPrivateHere(cachePlan, plan, scope, info);
    if (isPrivate) {
      markPrivate(scope, info.path);
      const privateScope = privateScopeOf(context);
      if (!privateScope) return bypass('no-session');
      scopeId = privateScope;
    }
    const parent = parentOf(cachePlan, plan, source);
    if (!parent) return bypass('no-parent-identity');
    const fieldTags = new Set(parent.tags);
    for (const template of plan.tagTemplates) {
      const filled = fillTagTemplate(template, { $args: args, $parent: source });
      if (!filled.ok) {
        warnOnce(
          `tag-value:${plan.coordinate}:${template.format}`,
          `${plan.coordinate}: @cacheTag(format: "${template.format}") ${describeUnfilled(filled)} in this request, so the result cannot be tagged soundly and is served uncached.`,
        );
        return bypass(filled.reason === 'too-long' ? 'tag-too-long' : 'tag-value-missing');
      }
      for (const tag of filled.tags) fieldTags.add(tag);
    }
    if (plan.listScope) fieldTags.add(listEntryTag(plan.listScope, { $args: args, $parent: source }));
    let argsKey: string;
    try {
      argsKey = canonicalArguments(info.parentType.getFields()[info.fieldName]?.args ?? [], args);
    } catch (error) {
      if (!(error instanceof CacheTagError)) throw error;
      warnOnce(`unkeyable:${plan.coordinate}`, `${plan.coordinate}: ${error.message}`);
      return bypass('unkeyable-args');
    }
    let keyParts: KeyParts = {
      schemaHash: cachePlan.schemaHash,
      coordinate: plan.coordinate,
      parentIdentity: parent.identity,
      args,
      argsKey,
      scope: scopeId,
    };
    let key = entryKey(keyParts);
    let narrowed = narrowedKeys.get(key);
    if (narrowed === 'private') {
      markPrivate(scope, info.path);
      const privateScope = privateScopeOf(context);
      if (!privateScope) return bypass('no-session');
      keyParts = { ...keyParts, scope: (scopeId = privateScope) };
      key = entryKey(keyParts);
      narrowed = narrowedKeys.get(key);
    }
    if (narrowed === 'uncacheable') return bypass('dynamic-hint', keyParts);

    let lookup: Lookup;
    try {
      lookup = await scope.lookups.load(key);
    } catch (error) {
      if (strict) throw error;
      storeFailed(error, 'Reading cache entries');
      return bypass('store-error', keyParts);
    }

    let missReason: FieldReason = lookup.read === 'stale' ? 'stale' : 'absent';
    if (typeof lookup.read !== 'string') {
      try {
        const [tags, value, expiresAt] = decodeEntry(codec, lookup.read);
        report(scope, info, plan, { coordinate: plan.coordinate, outcome: 'hit', key }, keyParts, tags);
        // A response stored from this hit must expire with the entry, not a full maxAge after it.
        if (scope.operation && expiresAt !== undefined) scope.minTtlMs = Math.min(scope.minTtlMs, expiresAt - clock.now());
        return value;
      } catch (error) {
        if (strict) throw error;
        storeFailed(error, 'Decoding a cache entry');
        missReason = 'corrupt';
      }
    }

    const joined = flights.join(key, lookup.seq);
    if (joined === 'full') return bypass('flight-full', keyParts);
    if (joined) {
      stats.joinedFlights++;
      let shared: JoinedResult;
      try {
        shared = await joined;
      } catch (error) {
        // The resolver threw: each request that waited for it records it, then sees the error as the caller does.
        report(scope, info, plan, { coordinate: plan.coordinate, outcome: 'bypass', reason: 'error', key }, keyParts);
        throw error;
      }
      if (shared === 'timeout') return bypass('flight-timeout', keyParts);
      if (shared.unshared) {
        // This request runs the resolver itself; below it, as below the flight's own request, is per session.
        if (shared.unshared === 'private') markPrivate(scope, info.path);
        return bypass('dynamic-hint', keyParts);
      }
      if (shared.frame !== undefined) {
        const [tags, value] = decodeEntry(codec, shared.frame);
        report(scope, info, plan, { coordinate: plan.coordinate, outcome: 'miss', reason: 'joined-flight', key }, keyParts, tags);
        return value;
      }
      // What the first request could not cache is not cacheable for its joiners either: the same bypass, so no
      // response built on it is stored (a null is shared as is; anything else is resolved again, never shared).
      const reason = shared.reason ?? 'unserializable';
      if (shared.value === null || shared.value === undefined) {
        report(scope, info, plan, { coordinate: plan.coordinate, outcome: 'bypass', reason, key }, keyParts);
        return shared.value;
      }
      return bypass(reason, keyParts);
    }

    let outcomeReason: FieldReason = missReason;
    let entryTags: string[] | undefined;
    const flight = flights.start(key, lookup.seq, async (): Promise<FlightResult> => {
      // Across processes (Store.acquire, e.g. the Redis store's leases): another instance may be resolving this key.
      const leased = store.acquire && (await store.acquire(key, lookup.seq));
      try {
        if (leased) return { value: decodeEntry(codec, leased)[1], frame: leased };
      } catch {
        // Bytes this codec cannot read: resolve instead.
      }
      const value = await resolve(source, args, context, info);
      const hint = readHintNarrowing(info, scopeId === 'PUBLIC');
      if (hint.narrowed) {
        narrowedKeys.set(key, hint.narrowed);
        if (hint.narrowed === 'private') markPrivate(scope, info.path);
        outcomeReason = 'dynamic-hint';
        return { value, frame: undefined, reason: 'dynamic-hint', unshared: hint.narrowed };
      }
      // A dynamic hint's shorter maxAge shortens the entry's life.
      const ttlMs = hint.maxAgeMs === undefined ? plan.ttlMs : Math.min(plan.ttlMs, hint.maxAgeMs);
      const fill = prepareFill(cachePlan, plan, value, fieldTags, context, info, ttlMs);
      if (typeof fill === 'string') {
        outcomeReason = fill;
        return { value, frame: undefined, reason: fill };
      }
      entryTags = fill.tags;
      fills.push({ key, value: fill.frame, tags: expandTags(fill.tags), ttlMs, fetchSeq: lookup.seq as StoreSeq });
      stats.fills++;
      return { value, frame: fill.frame };
    });
    let result: FlightResult;
    try {
      result = await flight;
    } catch (error) {
      report(scope, info, plan, { coordinate: plan.coordinate, outcome: 'bypass', reason: 'error', key }, keyParts);
      throw error;
    }
    if (outcomeReason === missReason) {
      report(scope, info, plan, { coordinate: plan.coordinate, outcome: 'miss', reason: missReason, key }, keyParts, entryTags);
    } else {
      report(scope, info, plan, { coordinate: plan.coordinate, outcome: 'bypass', reason: outcomeReason, key }, keyParts);
    }
    return result.value;
  }

  /** Tags and frame of a fresh value, or the reason it cannot be cached. */
  function prepareFill(
    cachePlan: CachePlan,
    plan: FieldPlan,
    value: unknown,
    fieldTags: ReadonlySet<string>,
    context: unknown,
    info: GraphQLResolveInfo,
    ttlMs = plan.ttlMs,
  ): { tags: string[]; frame: Uint8Array } | FieldReason {
    if ((value === null || value === undefined) && !plan.cacheNull) return 'null';
    if (value instanceof Error) return 'error';
    const tags = new Set(fieldTags);
    const problem = deriveEntityTags(
      info.returnType,
      value,
      { schema: cachePlan.schema, types: cachePlan.types, listScopes: cachePlan.listScopes, contextValue: context, info },
      tags,
    );
    if (problem) {
      warnOnce(`derive:${plan.coordinate}:${problem.kind}`, describeDeriveProblem(plan, problem));
      return problem.kind === 'too-deep' || problem.kind === 'unreadable' ? 'unserializable' : problem.kind;
    }
    try {
      assertEncodable(value, () => plan.coordinate);
      const tagList = [...tags];
      // The entry carries its tags, so a hit can report them (debug output, CDN tag headers).
      // Its expiry time too, so a hit knows how long the entry has left (0.1.0 entries, without one, still read).
      const frame = codec.encode([tagList, value === undefined ? null : value, clock.now() + ttlMs]);
      return { tags: tagList, frame };
    } catch (error) {
      if (!(error instanceof CacheTagError)) throw error;
      warnOnce(`encode:${plan.coordinate}:${error.code}`, error.message);
      return error.code === 'VALUE_TOO_LARGE' ? 'too-large' : 'unserializable';
    }
  }

  async function invalidateTags(tags: readonly string[], source: 'mutation' | 'api', coordinate?: string): Promise<void> {
    if (tags.length === 0) return;
    try {
      await store.invalidate(tags);
    } catch (error) {
      stats.unacknowledgedInvalidations++;
      throw asUnacknowledged(error, tags);
    }
    stats.invalidations++;
    stats.invalidatedTags += tags.length;
    if (invalidationChannel.hasSubscribers) invalidationChannel.publish({ tags, source, ...(coordinate ? { coordinate } : {}) });
    deliveries.dispatch({ tags, source, ...(coordinate ? { coordinate } : {}) });
  }

  /** Tags a mutation invalidates: its `@invalidates` templates, and (on success) every entity of its result. */
  async function mutationTags(
    cachePlan: CachePlan,
    plan: FieldPlan,
    args: Record<string, unknown>,
    result: { value: unknown } | undefined,
    context: unknown,
    info: GraphQLResolveInfo,
  ): Promise<string[]> {
    const tags = new Set<string>();
    for (const template of plan.invalidates) {
      const usesResult = template.variables.some((v) => v.source === '$result');
      if (usesResult && !result) continue;
      const filled = fillTagTemplate(template, { $args: args, $result: result?.value });
      if (filled.ok) {
        for (const tag of filled.tags) tags.add(tag);
        continue;
      }
      const prefix = literalPrefix(template);
      if (prefix) {
        tags.add(prefix);
        warnOnce(
          `invalidates:${plan.coordinate}:${template.format}`,
          `${plan.coordinate}: @invalidates(format: "${template.format}") ${describeUnfilled(filled)}; invalidated "${prefix}" (everything below it) instead.`,
        );
      } else {
        warnOnce(
          `invalidates-none:${plan.coordinate}:${template.format}`,
          `${plan.coordinate}: @invalidates(format: "${template.format}") ${describeUnfilled(filled)} and no literal prefix to fall back on; this tag could not be invalidated. Start the format with a literal segment ("Type:...").`,
        );
      }
    }
    if (result) {
      const onObject = (type: GraphQLObjectType, object: object) => addListTagsOf(cachePlan, type, object, tags, plan.coordinate);
      // The write happened: an unreadable property (an unloaded relation) must not cost the rest of the invalidation.
      const onUnreadable = (coordinate: string, error: unknown) =>
        warnOnce(
          `mutation-unreadable:${plan.coordinate}:${coordinate}`,
          `${plan.coordinate} returned a value whose ${coordinate} threw when read (${error instanceof Error ? error.message : String(error)}); the entities it would hold were not invalidated, everything else was.`,
        );
      const fallbacks = new Set<string>();
      let problem: DeriveProblem | undefined;
      try {
        problem = await deriveTagsAwaitingTypes(
          info.returnType,
          result.value,
          { schema: cachePlan.schema, types: cachePlan.types, contextValue: context, info, onObject, onUnreadable },
          tags,
          fallbacks,
        );
      } catch (error) {
        // The write happened: whatever failed while reading its result (a throwing getter), invalidate every entity it could be.
        const named = getNamedType(info.returnType);
        const types = isAbstractType(named) ? cachePlan.schema.getPossibleTypes(named) : isObjectType(named) ? [named] : [];
        for (const type of types) tags.add(type.name);
        warnOnce(
          `mutation-derive-error:${plan.coordinate}`,
          `${plan.coordinate}: reading its result for tags failed (${String(error)}); invalidated every ${types.map((t) => t.name).join(', ')} instead.`,
        );
      }
      if (fallbacks.size > 0) {
        warnOnce(
          `mutation-fallback:${plan.coordinate}`,
          `${plan.coordinate} returned a value of the abstract type ${[...fallbacks].join(', ')} whose concrete type could not be determined (resolveType failed or answered nothing); invalidated the tags it would have as each of its possible types instead.`,
        );
      }
      if (problem) {
        const fallback = problem.kind === 'too-deep' || problem.kind === 'unreadable' ? undefined : problem.typeName;
        if (fallback) tags.add(fallback);
        warnOnce(
          `mutation-derive:${plan.coordinate}:${problem.kind}`,
          `${describeDeriveProblem(plan, problem)}${fallback ? ` Invalidated every "${fallback}" instead.` : ''}`,
        );
      }
    }
    return [...tags];
  }

  /** The list tags an object belongs in (its type's list scopes), or the type's every-list tag when a filtered value is missing. */
  function addListTagsOf(cachePlan: CachePlan, type: GraphQLObjectType, object: object, tags: Set<string>, origin: string): void {
    const unfiltered: string[] = [];
    let fallback: string | undefined;
    for (const listScope of cachePlan.listScopesByType.get(type.name) ?? []) {
      const listTags = entityListTags(listScope, object);
      if (listTags) {
        for (const tag of listTags) tags.add(tag);
        continue;
      }
      fallback = allListsTag(listScope.itemType);
      tags.add(fallback);
      const missing = listScope.filters.map((f) => f.itemPath.join('.')).filter((path) => readField(object, path) === undefined);
      unfiltered.push(`${listScope.coordinate}: ${missing.map((m) => `"${m}"`).join(', ')}`);
    }
    if (fallback) {
      warnOnce(
        `list-fallback:${origin}:${type.name}`,
        `${origin} returned a value of type ${type.name} without fields its lists filter by (${unfiltered.join('; ')}), so every cached list of it was invalidated ("${fallback}"). Return those fields from the mutation to invalidate only the lists the ${type.name} belongs in.`,
      );
    }
  }

  async function resolveMutation(
    cachePlan: CachePlan,
    plan: FieldPlan,
    resolve: Resolver,
    source: unknown,
    args: Record<string, unknown>,
    context: unknown,
    info: GraphQLResolveInfo,
  ): Promise<unknown> {
    let value: unknown;
    try {
      value = await resolve(source, args, context, info);
    } catch (error) {
      // A failed mutation may still have written: invalidate what its arguments alone name.
      await invalidateForMutation(cachePlan, plan, args, undefined, context, info);
      throw error;
    }
    await invalidateForMutation(cachePlan, plan, args, value instanceof Error ? undefined : { value }, context, info);
    return value;
  }

  /** A cached field resolved inside a mutation operation: reported as a bypass, and a write when the plan says so. */
  function resolveInMutation(
    cachePlan: CachePlan,
    plan: FieldPlan,
    resolve: Resolver,
    source: unknown,
    args: Record<string, unknown>,
    context: unknown,
    info: GraphQLResolveInfo,
  ): unknown {
    report(scopeOf(context), info, plan, { coordinate: plan.coordinate, outcome: 'bypass', reason: 'mutation' });
    return plan.invalidatesInMutation ? resolveMutation(cachePlan, plan, resolve, source, args, context, info) : resolve(source, args, context, info);
  }

  async function invalidateForMutation(
    cachePlan: CachePlan,
    plan: FieldPlan,
    args: Record<string, unknown>,
    result: { value: unknown } | undefined,
    context: unknown,
    info: GraphQLResolveInfo,
  ): Promise<void> {
    const tags = await mutationTags(cachePlan, plan, args, result, context, info);
    if (tags.length === 0) return;
    const scope = context !== null && typeof context === 'object' ? scopes.get(context) : undefined;
    for (const tag of tags) scope?.invalidated.add(tag);
    const sink = context !== null && typeof context === 'object' ? sinks.get(context) : undefined;
    // Deferred to the request's transaction: its failure is the write's (the mutation field fails), not the cache's.
    if (sink) return sink(tags);
    try {
      await invalidateTags(tags, 'mutation', plan.coordinate);
    } catch (error) {
      // The write happened: the response keeps its data and says which tags other processes may still serve.
      if (isUnacknowledgedInvalidation(error)) for (const tag of error.tags) scope?.unacknowledged.add(tag);
      if (strict) throw error;
      storeFailed(error, `Invalidating after ${plan.coordinate}`);
    }
  }

  /** The plan whose stored responses storedResponse() may answer with: the named schema's, or the only one. */
  function storedResponsePlan(responseOptions: StoredResponseOptions | undefined): CachePlan | undefined {
    if (responseOptions?.schema) return plans.get(responseOptions.schema);
    if (instrumentedSchemas <= 1) return latestPlan;
    warnOnce(
      'stored-response-ambiguous',
      `storedResponse() was called without a schema while this cache serves ${instrumentedSchemas} schemas, so it cannot tell whose stored response to answer with and answered none. Pass { schema } (cache.storedResponse(request, context, { schema })) or call the Apollo plugin's storedResponse().`,
    );
    return undefined;
  }

  function wrap(cachePlan: CachePlan, plan: FieldPlan, original: Resolver | undefined): WrappedResolver {
    const resolve: Resolver = original ?? defaultFieldResolver;
    const wrapped: WrappedResolver =
      plan.mode === 'cache'
        ? (source, args, context, info) => resolveCached(cachePlan, plan, resolve, source, args, context, info)
        : (source, args, context, info) =>
            // A field below the mutation root may also be read by a query: only a mutation operation makes it a write.
            info.operation.operation === 'mutation'
              ? resolveMutation(cachePlan, plan, resolve, source, args, context, info)
              : resolve(source, args, context, info);
    wrapped[ORIGINAL_RESOLVER] = original;
    return wrapped;
  }

  return {
    store,
    async invalidate(tags) {
      const list = typeof tags === 'string' ? [tags] : [...tags];
      list.forEach((tag) => assertValidTag(tag));
      await invalidateTags([...new Set(list)], 'api');
    },
    async invalidateEntities(entities) {
      const cachePlan = latestPlan;
      if (!cachePlan)
        throw new CacheTagError(
          'INVALID_OPTION',
          'invalidateEntities() needs an instrumented schema: start the Apollo plugin or call cache.instrumentSchema(schema) first.',
        );
      const tags = new Set<string>();
      for (const entity of entities) {
        const type = entity && typeof entity === 'object' ? cachePlan.schema.getType(String(entity.__typename)) : undefined;
        const typeInfo = type ? cachePlan.types.get(type.name) : undefined;
        const identity = entityIdentity(typeInfo, entity);
        if (!isObjectType(type) || !typeInfo || !identity) {
          throw new CacheTagError(
            'INVALID_TAG',
            `invalidateEntities(): ${JSON.stringify(entity)} is not an entity of the schema; expected an object with the __typename of an object type with key fields, and those key fields.`,
          );
        }
        addEntityTags(typeInfo, identity, tags);
        addListTagsOf(cachePlan, type, entity, tags, 'invalidateEntities()');
      }
      await invalidateTags([...tags], 'api');
    },
    instrumentSchema(schema) {
      const existing = plans.get(schema);
      if (existing) return existing;
      const directives = assertValidCacheDirectives(schema, { hasSessionId: sessionId !== undefined });
      const built = buildCachePlan(schema, directives);
      // The version enters keys through the schema hash every key carries.
      const cachePlan: CachePlan = version === undefined ? built : { ...built, schemaHash: versionedSchemaHash(built.schemaHash, version) };
      // Inheriting scalar fields with @cacheTag templates report their tags, for the operation tier.
      // Their own resolvers are wrapped too: the operation tier stores their results, so in a server that does not
      // read dynamic hints (RequestScope.refuseHints) they must refuse them, as cached resolvers do.
      for (const [coordinate, templates] of cachePlan.inheritingFields) {
        if (templates.length === 0 && !cachePlan.resolverFields.has(coordinate)) continue;
        const refusalKey = { coordinate };
        const [typeName, fieldName] = coordinate.split('.') as [string, string];
        const field = (schema.getType(typeName) as { getFields(): Record<string, { resolve?: WrappedResolver }> }).getFields()[fieldName]!;
        const current = field.resolve;
        const original = current && ORIGINAL_RESOLVER in current ? current[ORIGINAL_RESOLVER] : current;
        const resolve = original ?? defaultFieldResolver;
        const wrapped: WrappedResolver = (source, args, context, info) => {
          const scope = context !== null && typeof context === 'object' ? scopes.get(context) : undefined;
          if (scope?.refuseHints) refuseDynamicHints(info, refusalKey);
          if (scope?.tags) {
            for (const template of templates) {
              const filled = fillTagTemplate(template, { $args: args, $parent: source });
              if (filled.ok) for (const tag of filled.tags) scope.tags.add(tag);
              else scope.bypassed = true;
            }
          }
          return resolve(source, args, context, info);
        };
        wrapped[ORIGINAL_RESOLVER] = original;
        field.resolve = wrapped;
      }
      // Non-cached PRIVATE fields mark their path, so the cached fields below them are keyed by session.
      for (const coordinate of cachePlan.privateFields) {
        if (cachePlan.fields.has(coordinate)) continue;
        const [typeName, fieldName] = coordinate.split('.') as [string, string];
        const field = (schema.getType(typeName) as { getFields(): Record<string, GraphQLField<unknown, unknown> & { resolve?: WrappedResolver }> }).getFields()[
          fieldName
        ]!;
        if (isLeafType(getNamedType(field.type))) continue;
        const current = field.resolve;
        const original = current && ORIGINAL_RESOLVER in current ? current[ORIGINAL_RESOLVER] : current;
        const resolve = original ?? defaultFieldResolver;
        const wrapped: WrappedResolver = (source, args, context, info) => {
          if (context !== null && typeof context === 'object') markPrivate(scopeOf(context), info.path);
          return resolve(source, args, context, info);
        };
        wrapped[ORIGINAL_RESOLVER] = original;
        field.resolve = wrapped;
      }
      for (const plan of cachePlan.fields.values()) {
        const type = schema.getType(plan.typeName) as { getFields(): Record<string, { resolve?: WrappedResolver }> };
        const field = type.getFields()[plan.fieldName]!;
        const current = field.resolve;
        const original = current && ORIGINAL_RESOLVER in current ? current[ORIGINAL_RESOLVER] : current;
        // Caching a property read would cost a lookup and save nothing: only real resolvers are wrapped.
        if (plan.mode === 'cache' && original === undefined && plan.invalidates.length === 0) continue;
        field.resolve = wrap(cachePlan, plan, original);
      }
      // In a Federation subgraph, each entity of an `_entities` request is cached as its own entry.
      instrumentEntityResolution(cachePlan, (plan, resolve, source, args, context, info) =>
        resolveCached(cachePlan, plan, resolve, source, args, context, info),
      );
      plans.set(schema, cachePlan);
      latestPlan = cachePlan;
      instrumentedSchemas++;
      return cachePlan;
    },
    planOf(schema) {
      return plans.get(schema);
    },
    beginRequest(context, scopeOptions) {
      const scope = new RequestScope(store, scopeOptions);
      scopes.set(context, scope);
      return scope;
    },
    requestScope(context) {
      return scopes.get(context);
    },
    async lookupOperation(context, request) {
      const cachePlan = plans.get(request.schema);
      const bypass = (reason: string): OperationOutcome => {
        stats.operationBypasses++;
        return { outcome: 'bypass', reason };
      };
      if (!cachePlan) return bypass('the schema is not instrumented');
      // No operation is named "" (graphql-js answers "Unknown operation named"), so no stored response may answer it.
      if (request.operationName === '') return bypass('the operation name is empty');
      const eligibility = analyzeOperation(cachePlan, request.document, request.operationName);
      if (!eligibility.eligible) return bypass(eligibility.reason);
      const keyOf = (scopeId: string) =>
        operationKey({
          schemaHash: cachePlan.schemaHash,
          query: request.queryHash,
          operationName: request.operationName,
          variables: request.variables,
          scope: scopeId,
        });
      // A response a dynamic hint made PRIVATE is looked up per session from then on.
      let shared: boolean;
      let key: string;
      try {
        const publicKey = eligibility.private ? undefined : keyOf('PUBLIC');
        shared = publicKey !== undefined && narrowedKeys.get(publicKey) !== 'private';
        if (shared) key = publicKey!;
        else {
          let privateScope: string | undefined;
          try {
            privateScope = privateScopeOf(context);
          } catch (error) {
            // A bad sessionId: execution reports it on the cached fields, as GraphQL errors the client sees.
            if (!(error instanceof CacheTagError)) throw error;
            warnOnce(`operation:${error.code}`, error.message);
            return bypass(error.code);
          }
          if (!privateScope) return bypass('no session for a PRIVATE operation');
          key = keyOf(privateScope);
        }
      } catch (error) {
        if (!(error instanceof CacheTagError)) throw error;
        return bypass('the variables cannot be keyed');
      }
      const scope = scopeOf(context);
      const prefetched = (context as { [FAST_PATH_MISS]?: FastPathMiss })[FAST_PATH_MISS];
      if (prefetched && prefetched.key === key) {
        stats.operationMisses++;
        scope.operation = { key, seq: prefetched.seq, shared, staticMaxAge: staticMaxAgeOf(cachePlan, request) };
        return { outcome: 'miss', key, reason: prefetched.read === 'stale' ? 'stale' : 'absent' };
      }
      let lookup: Awaited<ReturnType<Store['get']>>;
      try {
        // One key, looked up at once: a DataLoader tick would only add latency here.
        lookup = await store.get([key]);
      } catch (error) {
        if (strict) throw error;
        storeFailed(error, 'Reading a stored operation');
        return bypass('store-error');
      }
      const read = lookup.values[0];
      let reason: 'absent' | 'stale' | 'corrupt' = read === 'stale' ? 'stale' : 'absent';
      if (read !== undefined && typeof read !== 'string') {
        try {
          const { tags, body, policy } = decodeStoredOperation(codec, read);
          const data: unknown = (JSON.parse(textDecoder.decode(body)) as { data: unknown }).data;
          stats.operationHits++;
          if (scope.tags) for (const tag of tags) scope.tags.add(tag);
          return { outcome: 'hit', key, data, tags, ...(policy ? { policy } : {}) };
        } catch (error) {
          if (strict) throw error;
          storeFailed(error, 'Decoding a stored operation');
          reason = 'corrupt';
        }
      }
      stats.operationMisses++;
      scope.operation = { key, seq: lookup.seq, shared, staticMaxAge: staticMaxAgeOf(cachePlan, request) };
      return { outcome: 'miss', key, reason };
    },
    async storedResponse(request, context, responseOptions) {
      const cachePlan = storedResponsePlan(responseOptions);
      if (!cachePlan || request === null || typeof request !== 'object') return undefined;
      const hashOfQuery =
        typeof request.query === 'string' ? memoizedQueryHash(request.query) : typeof request.queryHash === 'string' ? request.queryHash : undefined;
      if (hashOfQuery === undefined) return undefined;
      const variables = request.variables === undefined || request.variables === null ? null : request.variables;
      if (variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return undefined;
      if (request.operationName !== undefined && request.operationName !== null && typeof request.operationName !== 'string') return undefined;
      // No operation is named "": servers answer an error, which only they can word.
      if (request.operationName === '') return undefined;
      let key: string;
      const keys: string[] = [];
      const session = responseOptions?.sessionId;
      try {
        for (const scope of session === undefined || session === null || session === '' ? ['PUBLIC'] : ['PUBLIC', `PRIVATE:${session}`]) {
          keys.push(
            operationKey({
              schemaHash: cachePlan.schemaHash,
              query: hashOfQuery,
              operationName: request.operationName,
              variables: variables as Record<string, unknown> | null,
              scope,
            }),
          );
        }
        key = keys[0]!;
      } catch (error) {
        // Variables too deep (or otherwise unkeyable) cannot have a stored response: the server answers them.
        if (!(error instanceof CacheTagError)) throw error;
        return undefined;
      }
      let read: StoreRead | undefined;
      try {
        // A PUBLIC operation is stored under the PUBLIC key, a PRIVATE one under its session's: never both.
        const lookup = await store.get(keys);
        const publicRead = lookup.values[0];
        const privateRead = lookup.values[1];
        read = privateRead !== undefined && typeof privateRead !== 'string' ? privateRead : publicRead;
        // The server's own lookup of this operation (same key when it is PUBLIC) can reuse this miss and its sequence,
        // which is older and so at least as safe a fence.
        if (context && (publicRead === undefined || typeof publicRead === 'string')) {
          // A symbol-keyed property, not a WeakMap: servers may copy the context object (Apollo does, with Object.assign).
          (context as { [FAST_PATH_MISS]?: FastPathMiss })[FAST_PATH_MISS] = { key, seq: lookup.seq, read: publicRead ?? 'absent' };
        }
      } catch (error) {
        if (strict) throw error;
        storeFailed(error, 'Reading a stored operation');
        return undefined;
      }
      if (read === undefined || typeof read === 'string') return undefined;
      try {
        const { tags, body, policy } = decodeStoredOperation(codec, read);
        stats.operationHits++;
        const cacheControl = policy?.maxAge !== undefined ? cacheControlValue({ maxAge: policy.maxAge, scope: policy.scope }) : undefined;
        return {
          bytes: body,
          get body() {
            return textDecoder.decode(body);
          },
          tags,
          ...(cacheControl ? { cacheControl } : {}),
        };
      } catch (error) {
        if (strict) throw error;
        storeFailed(error, 'Decoding a stored operation');
        return undefined;
      }
    },
    fillOperation(context, result, policy) {
      const scope = scopes.get(context);
      const operation = scope?.operation;
      if (!scope || !operation || !scope.tags || scope.bypassed || result.errors?.length || result.data == null) return false;
      if (!(scope.minTtlMs > 0) || scope.minTtlMs === Number.POSITIVE_INFINITY) return false;
      // Dynamic hints may have narrowed the policy: never store a PRIVATE response under a shared key, nor an
      // uncacheable one at all; remember it, so the next lookup is made per session, or not made.
      // (A maxAge of 0 the hints alone give, from unhinted object fields, is Apollo's default, not a dynamic hint.)
      const uncacheable = policy?.maxAge === 0 && operation.staticMaxAge > 0;
      if (uncacheable || (operation.shared && (policy?.scope === 'PRIVATE' || scope.hasPrivate))) {
        narrowedKeys.set(operation.key, uncacheable ? 'uncacheable' : 'private');
        scope.operation = undefined;
        return false;
      }
      // Only a cacheable policy is stored, to be told on later hits; a positive maxAge may shorten the TTL.
      const storedPolicy = policy?.maxAge !== undefined && policy.maxAge > 0 ? policy : undefined;
      const ttlMs = storedPolicy ? Math.min(scope.minTtlMs, storedPolicy.maxAge! * 1000) : scope.minTtlMs;
      const tags = [...scope.tags];
      let frame: Uint8Array;
      try {
        // The body is stored as the very bytes a server sends, so storedResponse() answers with them as they are.
        frame = codec.encode([tags, [Buffer.from(`{"data":${JSON.stringify(result.data)}}\n`), storedPolicy ?? null]]);
      } catch (error) {
        if (!(error instanceof CacheTagError)) throw error;
        warnOnce(`operation-encode:${error.code}`, `An operation response could not be stored: ${error.message}`);
        return false;
      }
      scope.operation = undefined;
      fills.push({ key: operation.key, value: frame, tags: expandTags(tags), ttlMs, fetchSeq: operation.seq });
      stats.operationFills++;
      return true;
    },
    onInvalidate(listener) {
      return deliveries.add(listener);
    },
    stats() {
      return { ...stats, pendingInvalidations: store.pendingInvalidations ?? 0, errors: { ...stats.errors } };
    },
    async idle() {
      await fills.idle();
      await deliveries.idle();
    },
    deferInvalidations(context, sink) {
      if (sink === undefined) sinks.delete(context);
      else if (typeof sink === 'function') sinks.set(context, sink);
      else throw invalidOption('deferInvalidations', 'sink', 'a function (tags) => Promise<void>, or undefined', sink);
    },
    async close() {
      await fills.idle();
      await deliveries.close();
      const result = await store.close();
      return { undelivered: [...(result?.undelivered ?? [])] };
    },
  };
}

/** graphql-js's default resolver, restated so a wrapped field without resolver behaves the same. */
const defaultFieldResolver: Resolver = (source, args, context, info) => {
  if (source !== null && (typeof source === 'object' || typeof source === 'function')) {
    const property = (source as Record<string, unknown>)[info.fieldName];
    if (typeof property === 'function') return (property as (...a: unknown[]) => unknown).call(source, args, context, info);
    return property;
  }
  return undefined;
};

/** An operation response as stored: the tags it depends on, the exact response body, its HTTP cache policy. */
interface StoredOperation {
  readonly tags: string[];
  readonly body: Uint8Array;
  readonly policy: OperationPolicy | null;
}

const textDecoder = new TextDecoder();

/**
 * Reads an operation entry, `[tags, [body bytes, policy]]`. Entries written by 0.1.0 hold the JSON text of the data
 * instead of the body bytes; they are read too, so a deploy does not turn a shared Redis cold.
 */
function decodeStoredOperation(codec: Codec, frame: Uint8Array): StoredOperation {
  const [tags, stored] = decodeEntry(codec, frame);
  if (Array.isArray(stored) && stored.length === 2 && (stored[1] === null || typeof stored[1] === 'object')) {
    const [body, policy] = stored as [unknown, OperationPolicy | null];
    if (body instanceof Uint8Array) return { tags, body, policy };
    if (typeof body === 'string') return { tags, body: Buffer.from(`{"data":${body}}\n`), policy };
  }
  throw new CacheTagError('CODEC_CORRUPT', 'A stored value is not a cachetag operation response ([tags, [body, policy]]); treated as a miss.');
}

/** An entry's frame holds `[tags, value]`, and for field entries written since 0.2 `[tags, value, expiresAt]`. */
function decodeEntry(codec: Codec, frame: Uint8Array): [string[], unknown, number?] {
  const decoded = codec.decode(frame);
  if (
    !Array.isArray(decoded) ||
    (decoded.length !== 2 && decoded.length !== 3) ||
    !Array.isArray(decoded[0]) ||
    (decoded.length === 3 && typeof decoded[2] !== 'number')
  ) {
    throw new CacheTagError('CODEC_CORRUPT', 'A stored value is not a cachetag entry ([tags, value] or [tags, value, expiresAt]); treated as a miss.');
  }
  return decoded as [string[], unknown, number?];
}

/** The hash Apollo Server computes of a query text (`queryHash`), so both entry points find the same stored response. */
export function queryHash(query: string): string {
  return cryptoHash('sha256', query, 'hex');
}

/**
 * {@link queryHash}, remembered for the query texts a server sees again and again (clients send the same few
 * documents with other variables), so the HTTP fast path hashes each text once, not once per request.
 */
const memoizedQueryHash = memoizeString(queryHash, 512, 16 * 1024);

/** The maxAge the operation's hints alone give (Apollo's rules, no dynamic hint), once per document. */
function staticMaxAgeOf(cachePlan: CachePlan, request: OperationRequest): number {
  return staticCachePolicy(cachePlan, request.document, request.operationName)?.maxAge ?? 0;
}

function readField(object: object, path: string): unknown {
  let value: unknown = object;
  for (const segment of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
  return value;
}

function pathOf(info: GraphQLResolveInfo): string {
  const segments: (string | number)[] = [];
  for (let path: GraphQLResolveInfo['path'] | undefined = info.path; path; path = path.prev) segments.push(path.key);
  return segments.reverse().join('.');
}

function describeDeriveProblem(plan: FieldPlan, problem: DeriveProblem): string {
  switch (problem.kind) {
    case 'unresolved-type':
      return `${plan.coordinate} returned a value of the abstract type ${problem.typeName} whose concrete type could not be determined synchronously (no __typename, resolveType answered with a promise or nothing, no isTypeOf matched), so its tags are unknown and it was served uncached.`;
    case 'entity-without-key':
      return `${plan.coordinate} returned a value of type ${problem.typeName} without its key fields (${problem.keyFields}) in the raw value, so it cannot be tagged and was served uncached. Include the key fields in what the resolver returns.`;
    case 'too-deep':
      return `${plan.coordinate} returned a value nested too deeply to derive its tags; it was served uncached.`;
    case 'unreadable':
      return `${plan.coordinate} returned a value whose ${problem.coordinate} threw when read (${problem.message}), so its tags are unknown and it was served uncached.`;
  }
}

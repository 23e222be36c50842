/**
 * The field tier: a cached resolver's result, looked up by key (batched per request), shared by concurrent misses
 * (single flight), and stored with its tags, fenced by the sequence its lookup saw. See the terminology in engine.ts.
 */
import { CacheTagError } from '../errors.js';
import type { Codec } from '../codec/codec.js';
import type { Clock } from '../stores/memory.js';
import type { Store, StoreSeq } from '../stores/types.js';
import { expandTags } from '../tags/hierarchy.js';
import { describeUnfilled, fillTagTemplate } from '../tags/template.js';
import { listEntryTag } from '../tags/listTags.js';
import type { CacheStats, FieldReason } from '../metrics/events.js';
import { entryKey, type KeyParts } from './key.js';
import { canonicalArguments } from './argumentKey.js';
import type { SingleFlight, FlightResult, JoinedResult } from './singleFlight.js';
import type { FillQueue } from './fillQueue.js';
import { isPrivateHere, markPrivate } from './privacy.js';
import { readHintNarrowing, refuseDynamicHints } from './dynamicHints.js';
import type { NarrowedKeys } from './narrowedKeys.js';
import type { Lookup } from './requestScope.js';
import type { RequestScopes } from './requestScopes.js';
import { decodeEntry } from './entry.js';
import { parentOf } from './fieldParent.js';
import { prepareFill } from './fieldFill.js';
import type { Failures } from './failures.js';
import type { ReportField } from './fieldReport.js';
import { runResolver, type FieldCall } from './fieldCall.js';

export interface FieldTierDeps {
  /** The store, for its optional `acquire` (leases across processes). */
  readonly store: Pick<Store, 'acquire'>;
  readonly codec: Codec;
  readonly clock: Clock;
  readonly stats: CacheStats;
  readonly failures: Failures;
  readonly flights: SingleFlight;
  readonly fills: FillQueue;
  readonly narrowedKeys: NarrowedKeys;
  readonly scopes: RequestScopes;
  readonly report: ReportField;
  /** `PRIVATE:<session>` for the request's session, or undefined when it has none. */
  readonly privateScopeOf: (context: unknown) => string | undefined;
}

export interface FieldTier {
  /** Resolves a cached field in a query: from its entry, from a flight, or by running the resolver and storing it. */
  resolveCached(call: FieldCall): Promise<unknown>;
}

export function createFieldTier(deps: FieldTierDeps): FieldTier {
  const { store, codec, clock, stats, failures, flights, fills, narrowedKeys, scopes, report, privateScopeOf } = deps;

  async function resolveCached(call: FieldCall): Promise<unknown> {
    const { cachePlan, plan, source, args, context, info } = call;
    const scope = scopes.of(context);
    const bypass = async (reason: FieldReason, keyParts?: KeyParts) => {
      report(scope, call, { coordinate: plan.coordinate, outcome: 'bypass', reason }, keyParts);
      const value: unknown = await runResolver(call);
      // Not stored, but a PRIVATE hint still makes what resolves below it per session.
      if (readHintNarrowing(info, true).narrowed === 'private') markPrivate(scope, info.path);
      return value;
    };

    if (scope.refuseHints) refuseDynamicHints(info, plan);
    let keyScope = 'PUBLIC';
    const isPrivate = plan.scope === 'PRIVATE' || isPrivateHere(cachePlan, plan, scope, info);
    if (isPrivate) {
      markPrivate(scope, info.path);
      const privateScope = privateScopeOf(context);
      if (!privateScope) return bypass('no-session');
      keyScope = privateScope;
    }
    const parent = parentOf(call);
    if (!parent) return bypass('no-parent-identity');
    const fieldTags = new Set(parent.tags);
    for (const template of plan.tagTemplates) {
      const filled = fillTagTemplate(template, { $args: args, $parent: source });
      if (!filled.ok) {
        const problem = `${plan.coordinate}: @cacheTag(format: "${template.format}") ${describeUnfilled(filled)} in this request, so the result cannot be tagged soundly`;
        if (filled.reason === 'too-long') {
          failures.warnOnce(`tag-value:${plan.coordinate}:${template.format}`, `${problem} and is served uncached.`);
          return bypass('tag-too-long');
        }
        // The failure channel: counted, warned once per field and template, thrown in strict mode. Never cached without the tag.
        failures.failed(new CacheTagError('TEMPLATE_VALUE_MISSING', `${problem}.`), `Tagging ${plan.coordinate} with "${template.format}"`);
        return bypass('tag-value-missing');
      }
      for (const tag of filled.tags) fieldTags.add(tag);
    }
    if (plan.listScope) fieldTags.add(listEntryTag(plan.listScope, { $args: args, $parent: source }));
    let argsKey: string;
    try {
      argsKey = canonicalArguments(info.parentType.getFields()[info.fieldName]?.args ?? [], args);
    } catch (error) {
      if (!(error instanceof CacheTagError)) throw error;
      failures.warnOnce(`unkeyable:${plan.coordinate}`, `${plan.coordinate}: ${error.message}`);
      return bypass('unkeyable-args');
    }
    let keyParts: KeyParts = {
      schemaHash: cachePlan.schemaHash,
      coordinate: plan.coordinate,
      parentIdentity: parent.identity,
      args,
      argsKey,
      scope: keyScope,
    };
    let key = entryKey(keyParts);
    let narrowed = narrowedKeys.get(key);
    if (narrowed === 'private') {
      markPrivate(scope, info.path);
      const privateScope = privateScopeOf(context);
      if (!privateScope) return bypass('no-session');
      keyParts = { ...keyParts, scope: (keyScope = privateScope) };
      key = entryKey(keyParts);
      narrowed = narrowedKeys.get(key);
    }
    if (narrowed === 'uncacheable') return bypass('dynamic-hint', keyParts);

    let lookup: Lookup;
    try {
      lookup = await scope.lookups.load(key);
    } catch (error) {
      failures.failed(error, 'Reading cache entries');
      return bypass('store-error', keyParts);
    }

    let missReason: FieldReason = lookup.read === 'stale' ? 'stale' : 'absent';
    if (typeof lookup.read !== 'string') {
      try {
        const [tags, value, expiresAt] = decodeEntry(codec, lookup.read);
        report(scope, call, { coordinate: plan.coordinate, outcome: 'hit', key }, keyParts, tags);
        // A response stored from this hit must expire with the entry, not a full maxAge after it.
        if (expiresAt !== undefined) scope.usedEntryExpiringAt(expiresAt, clock);
        return value;
      } catch (error) {
        failures.failed(error, 'Decoding a cache entry');
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
        report(scope, call, { coordinate: plan.coordinate, outcome: 'bypass', reason: 'error', key }, keyParts);
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
        report(scope, call, { coordinate: plan.coordinate, outcome: 'miss', reason: 'joined-flight', key }, keyParts, tags);
        return value;
      }
      // What the first request could not cache is not cacheable for its joiners either: the same bypass, so no
      // response built on it is stored (a null is shared as is; anything else is resolved again, never shared).
      const reason = shared.reason ?? 'unserializable';
      if (shared.value === null || shared.value === undefined) {
        report(scope, call, { coordinate: plan.coordinate, outcome: 'bypass', reason, key }, keyParts);
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
      const value = await runResolver(call);
      const hint = readHintNarrowing(info, keyScope === 'PUBLIC');
      if (hint.narrowed) {
        narrowedKeys.set(key, hint.narrowed);
        if (hint.narrowed === 'private') markPrivate(scope, info.path);
        outcomeReason = 'dynamic-hint';
        return { value, frame: undefined, reason: 'dynamic-hint', unshared: hint.narrowed };
      }
      // A dynamic hint's shorter maxAge shortens the entry's life.
      const ttlMs = hint.maxAgeMs === undefined ? plan.ttlMs : Math.min(plan.ttlMs, hint.maxAgeMs);
      const fill = prepareFill(deps, call, value, fieldTags, ttlMs);
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
      report(scope, call, { coordinate: plan.coordinate, outcome: 'bypass', reason: 'error', key }, keyParts);
      throw error;
    }
    if (outcomeReason === missReason) {
      report(scope, call, { coordinate: plan.coordinate, outcome: 'miss', reason: missReason, key }, keyParts, entryTags);
    } else {
      report(scope, call, { coordinate: plan.coordinate, outcome: 'bypass', reason: outcomeReason, key }, keyParts);
    }
    return result.value;
  }

  return { resolveCached };
}

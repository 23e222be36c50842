/**
 * The operation tier, step 1 (before execution): answers an eligible query from its stored response, or remembers,
 * in the request scope, where a fresh response may be stored and the sequence that fences it.
 */
import { CacheTagError } from '../../errors.js';
import type { Store, StoreSeq } from '../../stores/types.js';
import type { CachePlan } from '../plan.js';
import { staticCachePolicy } from '../policy.js';
import { analyzeOperation, operationKey } from './eligibility.js';
import { fastPathMissOf } from './fastPathMiss.js';
import type { OperationTierDeps } from './deps.js';
import type { OperationOutcome, OperationRequest } from './types.js';

export function createLookupOperation(deps: OperationTierDeps): (context: object, request: OperationRequest) => Promise<OperationOutcome> {
  const { store, stats, failures, narrowedKeys, scopes, plans, privateScopeOf, readOperation } = deps;
  return async function lookupOperation(context, request) {
    const cachePlan = plans.planOf(request.schema);
    const bypass = (reason: string): OperationOutcome => {
      stats.operationBypasses++;
      return { outcome: 'bypass', reason };
    };
    if (!cachePlan) return bypass('the schema is not instrumented');
    // No operation is named "" (graphql-js answers "Unknown operation named"), so no stored response may answer it.
    if (request.operationName === '') return bypass('the operation name is empty');
    const eligibility = analyzeOperation(cachePlan, request.document, request.operationName);
    if (!eligibility.eligible) return bypass(eligibility.reason);
    const keyOf = (keyScope: string) =>
      operationKey({
        schemaHash: cachePlan.schemaHash,
        query: request.queryHash,
        operationName: request.operationName,
        variables: request.variables,
        scope: keyScope,
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
          failures.warnOnce(`operation:${error.code}`, error.message);
          return bypass(error.code);
        }
        if (!privateScope) return bypass('no session for a PRIVATE operation');
        key = keyOf(privateScope);
      }
    } catch (error) {
      if (!(error instanceof CacheTagError)) throw error;
      return bypass('the variables cannot be keyed');
    }
    const scope = scopes.of(context);
    const hit = (frame: Uint8Array): OperationOutcome => {
      const operation = readOperation(frame);
      const { tags, policy } = operation;
      // Objects of its own per hit: the server's plugins may change them.
      const data = operation.data();
      stats.operationHits++;
      scope.addTags(tags);
      return { outcome: 'hit', key, data, tags, ...(policy ? { policy: { ...policy } } : {}) };
    };
    /**
     * Across processes (Store.acquire, e.g. the Redis store's leases): another instance may be executing this
     * operation; its stored response is served instead of executing again. Undefined: execute (this process holds
     * the lease, waited long enough, or the response it was handed does not decode).
     */
    const leasedHit = async (seq: StoreSeq): Promise<OperationOutcome | undefined> => {
      const leased = store.acquire && (await store.acquire(key, seq));
      if (!leased) return undefined;
      try {
        return hit(leased);
      } catch {
        return undefined;
      }
    };
    const prefetched = fastPathMissOf(context);
    if (prefetched && prefetched.key === key) {
      const leased = await leasedHit(prefetched.seq);
      if (leased) return leased;
      stats.operationMisses++;
      scope.expectOperationFill({ key, seq: prefetched.seq, shared, staticMaxAge: staticMaxAgeOf(cachePlan, request) });
      return { outcome: 'miss', key, reason: prefetched.read === 'stale' ? 'stale' : 'absent' };
    }
    let lookup: Awaited<ReturnType<Store['get']>>;
    try {
      // One key, looked up at once: a DataLoader tick would only add latency here.
      lookup = await store.get([key]);
    } catch (error) {
      failures.failed(error, 'Reading a stored operation');
      return bypass('store-error');
    }
    const read = lookup.values[0];
    let reason: 'absent' | 'stale' | 'corrupt' = read === 'stale' ? 'stale' : 'absent';
    if (read !== undefined && typeof read !== 'string') {
      try {
        return hit(read);
      } catch (error) {
        failures.failed(error, 'Decoding a stored operation');
        reason = 'corrupt';
      }
    }
    if (reason !== 'corrupt') {
      const leased = await leasedHit(lookup.seq);
      if (leased) return leased;
    }
    stats.operationMisses++;
    scope.expectOperationFill({ key, seq: lookup.seq, shared, staticMaxAge: staticMaxAgeOf(cachePlan, request) });
    return { outcome: 'miss', key, reason };
  };
}

/** The maxAge the operation's hints alone give (Apollo's rules, no dynamic hint), once per document. */
function staticMaxAgeOf(cachePlan: CachePlan, request: OperationRequest): number {
  return staticCachePolicy(cachePlan, request.document, request.operationName)?.maxAge ?? 0;
}

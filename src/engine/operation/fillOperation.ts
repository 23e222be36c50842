/**
 * The operation tier, step 2 (after execution): stores the response when the lookup missed, execution had no error
 * and no cached field bypassed the cache, under the tags, TTL and fence its request scope gathered.
 */
import { CacheTagError } from '../../errors.js';
import { expandTags } from '../../tags/hierarchy.js';
import type { OperationTierDeps } from './deps.js';
import type { OperationPolicy } from './types.js';

export function createFillOperation(
  deps: OperationTierDeps,
): (context: object, result: { data?: unknown; errors?: readonly unknown[] }, policy?: OperationPolicy) => boolean {
  const { stats, failures, fills, narrowedKeys, scopes, encodeOperation } = deps;
  return function fillOperation(context, result, policy) {
    const scope = scopes.find(context);
    const operation = scope?.operation;
    if (!scope || !operation || !scope.tags || scope.bypassed || result.errors?.length || result.data == null) return false;
    if (!(scope.minTtlMs > 0) || scope.minTtlMs === Number.POSITIVE_INFINITY) return false;
    // Dynamic hints may have narrowed the policy: never store a PRIVATE response under a shared key, nor an
    // uncacheable one at all; remember it, so the next lookup is made per session, or not made.
    // (A maxAge of 0 the hints alone give, from unhinted object fields, is Apollo's default, not a dynamic hint.)
    const uncacheable = policy?.maxAge === 0 && operation.staticMaxAge > 0;
    if (uncacheable || (operation.shared && (policy?.scope === 'PRIVATE' || scope.hasPrivate))) {
      narrowedKeys.set(operation.key, uncacheable ? 'uncacheable' : 'private');
      scope.endOperationFill();
      return false;
    }
    // Only a cacheable policy is stored, to be told on later hits; a positive maxAge may shorten the TTL.
    const storedPolicy = policy?.maxAge !== undefined && policy.maxAge > 0 ? policy : undefined;
    const ttlMs = storedPolicy ? Math.min(scope.minTtlMs, storedPolicy.maxAge! * 1000) : scope.minTtlMs;
    const tags = [...scope.tags];
    let frame: Uint8Array;
    try {
      // The body is stored as the very bytes a server sends, so storedResponse() answers with them as they are.
      frame = encodeOperation(tags, result.data, storedPolicy);
    } catch (error) {
      if (!(error instanceof CacheTagError)) throw error;
      failures.warnOnce(`operation-encode:${error.code}`, `An operation response could not be stored: ${error.message}`);
      return false;
    }
    scope.endOperationFill();
    fills.push({ key: operation.key, value: frame, tags: expandTags(tags), ttlMs, fetchSeq: operation.seq });
    stats.operationFills++;
    return true;
  };
}

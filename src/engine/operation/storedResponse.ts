/**
 * The operation tier's HTTP fast path: the stored response of a PUBLIC query, found from the request as received
 * (query text, variables, operation name) without parsing or executing anything.
 */
import { CacheTagError } from '../../errors.js';
import type { StoreRead } from '../../stores/types.js';
import type { CachePlan } from '../plan.js';
import { cacheControlValue } from '../policy.js';
import { operationKey } from './eligibility.js';
import { memoizedQueryHash } from './queryHash.js';
import { rememberFastPathMiss } from './fastPathMiss.js';
import type { OperationTierDeps } from './deps.js';
import type { StoredResponse, StoredResponseOptions, StoredResponseRequest } from './types.js';

/**
 * The stored body itself, shared by every hit, on each stored response: for the integrations, which write it as it is
 * and never modify it (`FastPathAnswer.body`), so an answer costs no copy. Not part of the public type.
 */
export const sharedStoredBytes = Symbol('cachetag.sharedStoredBytes');

/** The body bytes of `stored` without a copy, for integrations that only write them. */
export function storedBytesOf(stored: StoredResponse): Uint8Array {
  return (stored as StoredResponse & { [sharedStoredBytes]?: Uint8Array })[sharedStoredBytes] ?? stored.bytes;
}

export function createStoredResponse(
  deps: OperationTierDeps,
): (request: StoredResponseRequest, context?: object, options?: StoredResponseOptions) => Promise<StoredResponse | undefined> {
  const { store, stats, failures, plans, readOperation } = deps;

  /** The plan whose stored responses storedResponse() may answer with: the named schema's, or the only one. */
  function storedResponsePlan(responseOptions: StoredResponseOptions | undefined): CachePlan | undefined {
    if (responseOptions?.schema) return plans.planOf(responseOptions.schema);
    if (plans.count() <= 1) return plans.latest();
    failures.warnOnce(
      'stored-response-ambiguous',
      `storedResponse() was called without a schema while this cache serves ${plans.count()} schemas, so it cannot tell whose stored response to answer with and answered none. Pass { schema } (cache.storedResponse(request, context, { schema })) or call the Apollo plugin's storedResponse().`,
    );
    return undefined;
  }

  return async function storedResponse(request, context, responseOptions) {
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
      for (const keyScope of session === undefined || session === null || session === '' ? ['PUBLIC'] : ['PUBLIC', `PRIVATE:${session}`]) {
        keys.push(
          operationKey({
            schemaHash: cachePlan.schemaHash,
            query: hashOfQuery,
            operationName: request.operationName,
            variables: variables as Record<string, unknown> | null,
            scope: keyScope,
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
      if (context && (publicRead === undefined || typeof publicRead === 'string'))
        rememberFastPathMiss(context, { key, seq: lookup.seq, read: publicRead ?? 'absent' });
    } catch (error) {
      failures.failed(error, 'Reading a stored operation');
      return undefined;
    }
    if (read === undefined || typeof read === 'string') return undefined;
    try {
      const operation = readOperation(read);
      stats.operationHits++;
      const policy = operation.policy;
      const cacheControl = policy?.maxAge !== undefined ? cacheControlValue({ maxAge: policy.maxAge, scope: policy.scope }) : undefined;
      const shared = operation.body;
      return {
        // A copy per read of `bytes`, as documented: the frame's body is shared by every hit (decoded once per frame).
        get bytes() {
          return Buffer.from(shared);
        },
        [sharedStoredBytes]: shared,
        get body() {
          return operation.text;
        },
        tags: operation.tags,
        ...(cacheControl ? { cacheControl } : {}),
      };
    } catch (error) {
      failures.failed(error, 'Decoding a stored operation');
      return undefined;
    }
  };
}

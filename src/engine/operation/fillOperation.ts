/**
 * The operation tier, step 2 (after execution): stores the response when the lookup missed, execution had no error
 * and no cached field bypassed the cache, under the tags, TTL and fence its request scope gathered. In two steps when
 * the integration can hand over the body its server serialized (see {@link PrepareOperationFill}): the response is
 * then not serialized a second time only to be stored.
 */
import { CacheTagError } from '../../errors.js';
import { expandTags } from '../../tags/hierarchy.js';
import type { OperationTierDeps } from './deps.js';
import type { OperationPolicy } from './types.js';

/** An executed response, as the server holds it before serializing it. */
export interface ExecutedResult {
  readonly data?: unknown;
  readonly errors?: readonly unknown[];
  readonly extensions?: unknown;
}

/**
 * Stores the response, given the body the server serialized from `result` (undefined when there is none to give). The
 * body is stored as it is only when it is the response's data alone, serialized from this very result:
 * `finalResult` (the result the server serialized) is `result`, still without errors and extensions, and the body
 * reads `{"data":…}` followed by a newline; otherwise the data is serialized here, as a one-step fill does. Answers
 * whether an entry was queued.
 */
export type CompleteOperationFill = (serverBody: string | undefined, finalResult: unknown) => boolean;

/**
 * {@link FillOperation} in two steps: every check now (the scope's operation is then done), the frame once the server
 * serialized the response. False when nothing is to be stored. A request with debug output is filled at once, so its
 * debug record says whether it was stored.
 */
export type PrepareOperationFill = (context: object, result: ExecutedResult, policy?: OperationPolicy) => CompleteOperationFill | false | true;

export type FillOperation = (context: object, result: ExecutedResult, policy?: OperationPolicy) => boolean;

export function createFillOperation(deps: OperationTierDeps): { fillOperation: FillOperation; prepareOperationFill: PrepareOperationFill } {
  const { stats, failures, fills, narrowedKeys, scopes, encodeOperation, encodeOperationBody } = deps;

  function prepare(context: object, result: ExecutedResult, policy: OperationPolicy | undefined): CompleteOperationFill | false {
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
    // Done with this request's operation now: one fill per operation, whenever its frame is made.
    scope.endOperationFill();
    return (serverBody, finalResult) => {
      let frame: Uint8Array;
      try {
        // The body is stored as the very bytes a server sends, so storedResponse() answers with them as they are.
        frame =
          serverBody !== undefined && isDataAlone(result, finalResult, serverBody)
            ? encodeOperationBody(tags, serverBody, storedPolicy)
            : encodeOperation(tags, result.data, storedPolicy);
      } catch (error) {
        if (!(error instanceof CacheTagError)) throw error;
        failures.warnOnce(`operation-encode:${error.code}`, `An operation response could not be stored: ${error.message}`);
        return false;
      }
      fills.push({ key: operation.key, value: frame, tags: expandTags(tags), ttlMs, fetchSeq: operation.seq });
      stats.operationFills++;
      return true;
    };
  }

  return {
    fillOperation(context, result, policy) {
      const complete = prepare(context, result, policy);
      return complete !== false && complete(undefined, undefined);
    },
    prepareOperationFill(context, result, policy) {
      const complete = prepare(context, result, policy);
      if (complete === false) return false;
      return scopes.find(context)?.debug ? complete(undefined, undefined) : complete;
    },
  };
}

/**
 * Whether `body` is the serialization of `result`'s data alone, as a one-step fill would write it: the server
 * serialized this very result (a plugin may replace it), which gained no errors nor extensions since (a plugin may add
 * them), into `{"data":…}` and a newline (Apollo's default serializer; a pretty-printing one is not taken).
 */
function isDataAlone(result: ExecutedResult, finalResult: unknown, body: string): boolean {
  return (
    finalResult === result &&
    result.errors === undefined &&
    result.extensions === undefined &&
    body.startsWith('{"data":') &&
    body.charCodeAt(body.length - 1) === 10 &&
    body.charCodeAt(body.length - 2) === 125
  );
}

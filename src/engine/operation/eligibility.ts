/**
 * The operation tier: a whole query response stored on the same tags as the
 * fields it is made of, so an unchanged query is answered without executing
 * anything, and a mutation drops only the responses that contain an affected
 * tag (their re-execution still reuses every unaffected cached field).
 *
 * An operation is eligible when every field it can select that has a
 * resolver of its own is a cached field, or a scalar field that inherits its
 * parent's policy (Apollo's rule; it depends on its parent's tags and its own
 * `@cacheTag`s), so the response depends on nothing but cached results; it
 * is a query; and it selects no introspection. It is keyed by the session
 * when any field it can select is PRIVATE (by its hint, its type's, or a
 * PRIVATE possible type). A response is stored only when execution had no
 * error and no cached field bypassed the cache, and never under a shared key
 * when its policy turned out PRIVATE or uncacheable at run time (dynamic
 * hints). Its tags are the union of the tags of every cached field it used,
 * its TTL the smallest of theirs, and its fence the sequence of the operation
 * lookup, made before any field lookup: an invalidation after it makes the
 * response stale, exactly as for fields.
 */
import { hash as cryptoHash } from 'node:crypto';
import type { DocumentNode } from 'graphql';
import { canonicalize } from '../key.js';
import type { CachePlan } from '../plan.js';
import { memoizeString } from '../memo.js';
import { memoizeByDocument, operationToRun, walkSelectedFields } from '../selection.js';

/** Whether and how an operation can be answered from the operation tier. */
export type OperationEligibility =
  | { readonly eligible: true; readonly private: boolean }
  | {
      readonly eligible: false;
      /** Why not, naming the field at fault when there is one. */
      readonly reason: string;
    };

/** Decides, once per plan, document and operation name, whether the operation tier applies. */
export const analyzeOperation = memoizeByDocument(analyze);

function analyze(plan: CachePlan, document: DocumentNode, operationName: string | null | undefined): OperationEligibility {
  const operation = operationToRun(document, operationName);
  if (!operation) return { eligible: false, reason: 'the operation to run is ambiguous' };
  if (operation.operation !== 'query') return { eligible: false, reason: `it is a ${operation.operation}` };
  const queryType = plan.schema.getQueryType();
  if (!queryType) return { eligible: false, reason: 'the schema has no query type' };
  let isPrivate = false;
  const problem = walkSelectedFields(plan.schema, document, operation, queryType, ({ parentType, coordinate, isRoot }) => {
    // Any PRIVATE field, or value of a PRIVATE type, anywhere in the response makes the whole response per session.
    if (plan.privateFields.has(coordinate) || plan.privateTypes.has(parentType.name)) isPrivate = true;
    const fieldPlan = plan.fields.get(coordinate);
    if (fieldPlan?.mode === 'cache') return undefined;
    if (isRoot || (plan.resolverFields.has(coordinate) && !plan.inheritingFields.has(coordinate))) return `${coordinate} has a resolver and is not cached`;
    return undefined;
  });
  return problem ? { eligible: false, reason: problem } : { eligible: true, private: isPrivate };
}

/** What identifies one operation response. */
export interface OperationKeyParts {
  readonly schemaHash: string;
  /** A hash of the query text (Apollo's `queryHash`), or the query text itself. */
  readonly query: string;
  readonly operationName: string | null | undefined;
  readonly variables: Readonly<Record<string, unknown>> | null | undefined;
  /** `'PUBLIC'`, or `'PRIVATE:' + sessionId`. */
  readonly scope: string;
}

/** The store key of an operation response: `op:` and a hash of its parts. */
export function operationKey(parts: OperationKeyParts): string {
  return hashedOperationKey(`${parts.schemaHash}\0${parts.query}\0${parts.operationName ?? ''}\0${canonicalize(parts.variables ?? {})}\0${parts.scope}`);
}

// Popular operations come back with the same variables: remembered, bounded (at most ~8 M characters of input, see memoizeString).
const hashedOperationKey = memoizeString((input) => `op:${cryptoHash('sha256', input, 'base64url').slice(0, 32)}`, 4096, 1024);

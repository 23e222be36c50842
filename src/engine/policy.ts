/**
 * The cache policy of an operation, computed from the document alone with
 * Apollo's rules, once per document: what Apollo's cache-control plugin
 * computes at run time by calling a hook on every field resolution.
 *
 * Apollo's rules, for every selected field: the hint of the type it returns
 * (object, interface or union), replaced by the field's own hint; a field
 * with `inheritMaxAge` (or returning a type with it) takes no maxAge of its
 * own. A field still without maxAge that returns a composite type without
 * `inheritMaxAge`, or that is a root field, gets maxAge 0 (uncacheable).
 * Scalar fields otherwise inherit. The operation's policy is the smallest
 * maxAge and the most restrictive scope of all fields.
 *
 * Statically, every field the document selects counts, on every type it may
 * be selected on, including those a null parent kept from resolving: the
 * policy is never longer than Apollo's, and sometimes shorter. A field whose
 * value can be of a PRIVATE object type (a possible type of the interface or
 * union it returns) makes the policy PRIVATE, where Apollo reads only the
 * declared type. Dynamic hints (`info.cacheControl.setCacheHint`) are not seen.
 * A document too complex to walk (see `walkSelectedFields`) is uncacheable.
 */
import type { DocumentNode } from 'graphql';
import { getNamedType, isCompositeType } from 'graphql';
import type { CacheScope } from '../directives/model.js';
import type { CachePlan } from './plan.js';
import { memoizeByDocument, operationToRun, rootTypeOf, walkSelectedFields } from './selection.js';

/** An operation's cache policy; `maxAge: 0` means uncacheable. */
export interface StaticCachePolicy {
  readonly maxAge: number;
  readonly scope: CacheScope;
}

/** The `Cache-Control` value of a cacheable policy, as Apollo writes it: `max-age=60, public`. */
export function cacheControlValue(policy: { readonly maxAge: number; readonly scope?: CacheScope | undefined }): string {
  return `max-age=${policy.maxAge}, ${(policy.scope ?? 'PUBLIC').toLowerCase()}`;
}

/** The policy of the operation a request runs, or undefined when the document does not say which (Apollo rejects those). */
export const staticCachePolicy = memoizeByDocument(computePolicy);

function computePolicy(plan: CachePlan, document: DocumentNode, operationName: string | null | undefined): StaticCachePolicy | undefined {
  const operation = operationToRun(document, operationName);
  const rootType = operation && rootTypeOf(plan.schema, operation);
  if (!operation || !rootType) return undefined;
  let maxAge: number | undefined;
  let scope: CacheScope = 'PUBLIC';
  const problem = walkSelectedFields(plan.schema, document, operation, rootType, ({ parentType, field, coordinate, isRoot }) => {
    // Stricter than Apollo: a value that can be of a PRIVATE object type (behind an interface or a union) is PRIVATE.
    if (plan.privateFields.has(coordinate) || plan.privateTypes.has(parentType.name)) scope = 'PRIVATE';
    let fieldMaxAge: number | undefined;
    let fieldScope: CacheScope | undefined;
    let inheritMaxAge = false;
    const target = getNamedType(field.type);
    const composite = isCompositeType(target);
    if (composite) {
      const typeHint = plan.types.get(target.name)?.hint;
      fieldMaxAge = typeHint?.maxAge;
      fieldScope = typeHint?.scope;
      inheritMaxAge = typeHint?.inheritMaxAge === true;
    }
    const fieldHint = plan.fieldHints.get(coordinate);
    if (fieldHint?.inheritMaxAge && fieldMaxAge === undefined) {
      inheritMaxAge = true;
      if (fieldHint.scope) fieldScope = fieldHint.scope;
    } else if (fieldHint) {
      if (fieldHint.maxAge !== undefined) fieldMaxAge = fieldHint.maxAge;
      if (fieldHint.scope) fieldScope = fieldHint.scope;
    }
    if (fieldMaxAge === undefined && ((composite && !inheritMaxAge) || isRoot)) fieldMaxAge = 0;
    if (fieldMaxAge !== undefined) maxAge = maxAge === undefined ? fieldMaxAge : Math.min(maxAge, fieldMaxAge);
    if (fieldScope === 'PRIVATE') scope = 'PRIVATE';
    return undefined;
  });
  // A document that selects introspection is answered by Apollo without hints on those fields: treat it as uncacheable.
  if (problem) return { maxAge: 0, scope };
  return { maxAge: maxAge ?? 0, scope };
}

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
 * is a query; and it selects no introspection. A response is stored only when execution had no error and
 * no cached field bypassed the cache. Its tags are the union of the tags of
 * every cached field it used, its TTL the smallest of theirs, and its fence
 * the sequence of the operation lookup, made before any field lookup: an
 * invalidation after it makes the response stale, exactly as for fields.
 */
import { hash as cryptoHash } from 'node:crypto';
import {
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { canonicalize } from './key.js';
import type { CachePlan } from './plan.js';

/** Whether and how an operation can be answered from the operation tier. */
export type OperationEligibility =
  | { readonly eligible: true; readonly private: boolean }
  | {
      readonly eligible: false;
      /** Why not, naming the field at fault when there is one. */
      readonly reason: string;
    };

const analyses = new WeakMap<CachePlan, WeakMap<DocumentNode, Map<string, OperationEligibility>>>();

/** Decides, once per plan, document and operation name, whether the operation tier applies. */
export function analyzeOperation(plan: CachePlan, document: DocumentNode, operationName: string | null | undefined): OperationEligibility {
  let byDocument = analyses.get(plan);
  if (!byDocument) analyses.set(plan, (byDocument = new WeakMap()));
  let byName = byDocument.get(document);
  if (!byName) byDocument.set(document, (byName = new Map()));
  const name = operationName ?? '';
  let result = byName.get(name);
  if (!result) byName.set(name, (result = analyze(plan, document, operationName)));
  return result;
}

function analyze(plan: CachePlan, document: DocumentNode, operationName: string | null | undefined): OperationEligibility {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return { eligible: false, reason: 'the operation to run is ambiguous' };
  if (operation.operation !== 'query') return { eligible: false, reason: `it is a ${operation.operation}` };
  const queryType = plan.schema.getQueryType();
  if (!queryType) return { eligible: false, reason: 'the schema has no query type' };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const state = { private: false, visiting: new Set<string>() };
  const problem = walk(plan, [queryType], operation.selectionSet, fragments, state, true);
  return problem ? { eligible: false, reason: problem } : { eligible: true, private: state.private };
}

function walk(
  plan: CachePlan,
  types: readonly GraphQLObjectType[],
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  state: { private: boolean; visiting: Set<string> },
  isRoot: boolean,
): string | undefined {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name === '__typename') continue;
      if (name.startsWith('__')) return `it selects introspection (${name})`;
      for (const type of types) {
        const field = type.getFields()[name];
        if (!field) continue;
        const coordinate = `${type.name}.${name}`;
        const fieldPlan = plan.fields.get(coordinate);
        if (fieldPlan?.mode === 'cache') {
          if (fieldPlan.scope === 'PRIVATE') state.private = true;
        } else if (isRoot || (plan.resolverFields.has(coordinate) && !plan.inheritingFields.has(coordinate))) {
          return `${coordinate} has a resolver and is not cached`;
        }
        if (selection.selectionSet) {
          const problem = walk(plan, objectTypesOf(plan, getNamedType(field.type)), selection.selectionSet, fragments, state, false);
          if (problem) return problem;
        }
      }
    } else {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : undefined;
      if (selection.kind === Kind.FRAGMENT_SPREAD && !fragment) return `fragment ${selection.name.value} is not defined`;
      // A fragment spread inside itself is invalid GraphQL; the guard only keeps a malformed document from looping.
      if (fragment && state.visiting.has(fragment.name.value)) continue;
      const condition = selection.kind === Kind.INLINE_FRAGMENT ? selection.typeCondition : fragment!.typeCondition;
      const narrowed = condition ? types.filter((t) => objectTypesOf(plan, plan.schema.getType(condition.name.value)).includes(t)) : types;
      if (fragment) state.visiting.add(fragment.name.value);
      const problem = walk(plan, narrowed, selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragment!.selectionSet, fragments, state, isRoot);
      if (fragment) state.visiting.delete(fragment.name.value);
      if (problem) return problem;
    }
  }
  return undefined;
}

function objectTypesOf(plan: CachePlan, type: GraphQLNamedType | undefined | null): GraphQLObjectType[] {
  if (isObjectType(type)) return [type];
  if (isAbstractType(type)) return [...plan.schema.getPossibleTypes(type)];
  return [];
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
  const input = `${parts.schemaHash}\0${parts.query}\0${parts.operationName ?? ''}\0${canonicalize(parts.variables ?? {})}\0${parts.scope}`;
  return `op:${cryptoHash('sha256', input, 'base64url').slice(0, 32)}`;
}

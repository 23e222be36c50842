/**
 * Walks the fields an operation can select, statically: through fragments
 * and inline fragments, on every object type a field can return. The
 * operation tier (is every selected resolver cached?) and the static cache
 * policy (Apollo's rules applied to every selected field) both read a
 * document this way, once per document.
 */
import {
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** One field selected on one possible parent type. */
export interface SelectedField {
  readonly parentType: GraphQLObjectType;
  readonly field: GraphQLField<unknown, unknown>;
  /** `Type.field`. */
  readonly coordinate: string;
  /** True for the operation's top-level fields. */
  readonly isRoot: boolean;
}

/** What a visitor returns: a reason to stop the walk, or undefined to go on. */
export type SelectionVisitor = (selected: SelectedField) => string | undefined;

/** The operation a request runs: the named one, or the only one. */
export function operationToRun(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
}

/** The root type of an operation, or undefined when the schema has none of that kind. */
export function rootTypeOf(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLObjectType | undefined {
  const type =
    operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  return type ?? undefined;
}

/**
 * The most steps one walk may take (a step: one field on one possible parent type, or one selection set entered on
 * a set of types). Past it the walk stops with {@link SELECTION_TOO_COMPLEX}; callers then fall back to what is safe
 * without an analysis (no operation tier, no static cache policy, a field keyed by session).
 */
export const defaultSelectionBudget = 20_000;

/** The reason a walk gives when it ran out of budget. */
export const SELECTION_TOO_COMPLEX = `the selection is too complex to analyze (more than ${defaultSelectionBudget} steps)`;

/** Steps taken by every walk so far: tests read it to pin the work a document costs. */
export const selectionWalkSteps = { count: 0 };

/**
 * Calls `visit` for every field `operation` selects, on every parent type it can be selected on. `__typename` is
 * skipped; any other introspection field stops the walk with a reason. Returns the first reason a visitor or the
 * document gave to stop.
 */
export function walkSelectedFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rootType: GraphQLObjectType,
  visit: SelectionVisitor,
  budget = defaultSelectionBudget,
): string | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return walkSelectionSets(schema, (name) => fragments.get(name), [rootType], [operation.selectionSet], true, visit, budget);
}

/**
 * Walks selection sets (those of one field, or an operation's) on the object types their parent value can have,
 * with the same visits as {@link walkSelectedFields}. A selection set is walked once per set of parent types (and
 * root-ness): walking it again would repeat the very same visits, so fragments spread many times, and fields
 * through interfaces with many implementations, cost what they add, not what they multiply.
 */
export function walkSelectionSets(
  schema: GraphQLSchema,
  fragmentNamed: (name: string) => FragmentDefinitionNode | undefined,
  parentTypes: readonly GraphQLObjectType[],
  selectionSets: readonly SelectionSetNode[],
  isRoot: boolean,
  visit: SelectionVisitor,
  budget = defaultSelectionBudget,
): string | undefined {
  let steps = 0;
  const walked = new Map<SelectionSetNode, Set<string>>();
  const visiting = new Set<string>();

  function walk(types: readonly GraphQLObjectType[], selectionSet: SelectionSetNode, isRoot: boolean): string | undefined {
    if (types.length === 0) return undefined;
    steps += 1;
    const typesKey = `${isRoot ? '^' : ''}${types.map((t) => t.name).join(',')}`;
    let seen = walked.get(selectionSet);
    if (!seen) walked.set(selectionSet, (seen = new Set()));
    if (seen.has(typesKey)) return undefined;
    seen.add(typesKey);
    for (const selection of selectionSet.selections) {
      if (steps > budget) return SELECTION_TOO_COMPLEX;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') continue;
        if (name.startsWith('__')) return `it selects introspection (${name})`;
        for (const parentType of types) {
          const field = parentType.getFields()[name];
          if (!field) continue;
          steps += 1;
          const stop = visit({ parentType, field, coordinate: `${parentType.name}.${name}`, isRoot });
          if (stop) return stop;
          if (selection.selectionSet) {
            const problem = walk(objectTypesOf(schema, getNamedType(field.type)), selection.selectionSet, false);
            if (problem) return problem;
          }
        }
        continue;
      }
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragmentNamed(selection.name.value) : undefined;
      if (selection.kind === Kind.FRAGMENT_SPREAD && !fragment) return `fragment ${selection.name.value} is not defined`;
      // A fragment spread inside itself is invalid GraphQL; the guard only keeps a malformed document from looping.
      if (fragment && visiting.has(fragment.name.value)) continue;
      const condition = selection.kind === Kind.INLINE_FRAGMENT ? selection.typeCondition : fragment!.typeCondition;
      const narrowed = condition ? types.filter((t) => objectTypesOf(schema, schema.getType(condition.name.value)).includes(t)) : types;
      if (fragment) visiting.add(fragment.name.value);
      const problem = walk(narrowed, selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragment!.selectionSet, isRoot);
      if (fragment) visiting.delete(fragment.name.value);
      if (problem) return problem;
    }
    return undefined;
  }

  try {
    for (const selectionSet of selectionSets) {
      const problem = walk(parentTypes, selectionSet, isRoot);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    selectionWalkSteps.count += steps;
  }
}

/** The object types a value of `type` can have. */
export function objectTypesOf(schema: GraphQLSchema, type: GraphQLNamedType | undefined | null): GraphQLObjectType[] {
  if (isObjectType(type)) return [type];
  if (isAbstractType(type)) return [...schema.getPossibleTypes(type)];
  return [];
}

/**
 * Memoizes a per-document analysis, by plan (or schema), document and operation name. Documents are parsed once
 * per query text by servers (Apollo keeps a document store), so identity is a good key, and weak maps let both go.
 * Only the names the document defines are remembered: any other name (a client may send a new one with every
 * request) selects no operation, so all of them share one result, and a document's memo holds at most one result
 * per operation it defines, plus one for "no name" and one for every unknown name.
 */
export function memoizeByDocument<Owner extends object, Result>(
  compute: (owner: Owner, document: DocumentNode, operationName: string | null | undefined) => Result,
): DocumentMemoized<Owner, Result> {
  const byOwner = new WeakMap<Owner, WeakMap<DocumentNode, DocumentMemo<Result>>>();
  const memoized = (owner: Owner, document: DocumentNode, operationName: string | null | undefined): Result => {
    let byDocument = byOwner.get(owner);
    if (!byDocument) byOwner.set(owner, (byDocument = new WeakMap()));
    let memo = byDocument.get(document);
    if (!memo) byDocument.set(document, (memo = { names: definedOperationNames(document), results: new Map() }));
    const name =
      operationName === null || operationName === undefined || operationName === '' ? '' : memo.names.has(operationName) ? operationName : UNKNOWN_NAME;
    let result = memo.results.get(name);
    if (result === undefined && !memo.results.has(name)) memo.results.set(name, (result = compute(owner, document, operationName)));
    return result as Result;
  };
  memoized.resultsHeld = (owner: Owner, document: DocumentNode) => byOwner.get(owner)?.get(document)?.results.size ?? 0;
  return memoized;
}

/** A function memoized by {@link memoizeByDocument}. */
export interface DocumentMemoized<Owner extends object, Result> {
  (owner: Owner, document: DocumentNode, operationName: string | null | undefined): Result;
  /** How many results the memo holds for one document (for tests and diagnostics). */
  resultsHeld(owner: Owner, document: DocumentNode): number;
}

interface DocumentMemo<Result> {
  readonly names: ReadonlySet<string>;
  readonly results: Map<string, Result>;
}

// Not a valid GraphQL name, so no operation can be called that.
const UNKNOWN_NAME = '\0unknown';

function definedOperationNames(document: DocumentNode): Set<string> {
  const names = new Set<string>();
  for (const d of document.definitions) if (d.kind === Kind.OPERATION_DEFINITION && d.name) names.add(d.name.value);
  return names;
}

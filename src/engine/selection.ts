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
): string | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const visiting = new Set<string>();

  function walk(types: readonly GraphQLObjectType[], selectionSet: SelectionSetNode, isRoot: boolean): string | undefined {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') continue;
        if (name.startsWith('__')) return `it selects introspection (${name})`;
        for (const parentType of types) {
          const field = parentType.getFields()[name];
          if (!field) continue;
          const stop = visit({ parentType, field, coordinate: `${parentType.name}.${name}`, isRoot });
          if (stop) return stop;
          if (selection.selectionSet) {
            const problem = walk(objectTypesOf(schema, getNamedType(field.type)), selection.selectionSet, false);
            if (problem) return problem;
          }
        }
        continue;
      }
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : undefined;
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

  return walk([rootType], operation.selectionSet, true);
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
 */
export function memoizeByDocument<Owner extends object, Result>(
  compute: (owner: Owner, document: DocumentNode, operationName: string | null | undefined) => Result,
): (owner: Owner, document: DocumentNode, operationName: string | null | undefined) => Result {
  const byOwner = new WeakMap<Owner, WeakMap<DocumentNode, Map<string, Result>>>();
  return (owner, document, operationName) => {
    let byDocument = byOwner.get(owner);
    if (!byDocument) byOwner.set(owner, (byDocument = new WeakMap()));
    let byName = byDocument.get(document);
    if (!byName) byDocument.set(document, (byName = new Map()));
    const name = operationName ?? '';
    let result = byName.get(name);
    if (result === undefined && !byName.has(name)) byName.set(name, (result = compute(owner, document, operationName)));
    return result as Result;
  };
}

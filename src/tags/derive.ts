/**
 * Derives the dependency tags of a value by walking it with the schema: every
 * object whose (concrete) type is an entity contributes its entity tag
 * (`Product:42`) and its type's `@cacheTag` templates, and the walk follows
 * every property named like a field of that type (the default resolver's
 * reading), through lists, interfaces and unions.
 */
import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isLeafType,
  isListType,
  isObjectType,
  type GraphQLAbstractType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import type { ListScope, TypeCacheInfo } from '../directives/model.js';
import { entityTag } from './hierarchy.js';
import { readPath } from '../internal/readPath.js';
import { fillTagTemplate } from './template.js';
import { listEntryTag } from './listTags.js';

/** Walks deeper than this are cut (and reported): real payloads are far shallower. */
export const MAX_DERIVE_DEPTH = 32;

export interface DeriveContext {
  readonly schema: GraphQLSchema;
  readonly types: ReadonlyMap<string, TypeCacheInfo>;
  /** List scopes by field coordinate: a scoped list embedded in a value tags the value with the list's scope. */
  readonly listScopes?: ReadonlyMap<string, ListScope>;
  readonly contextValue: unknown;
  readonly info: GraphQLResolveInfo;
  /** Called with every object of a known concrete type met on the walk (mutations use it for list scopes). */
  readonly onObject?: (type: GraphQLObjectType, value: object) => void;
  /** Concrete type names found earlier for abstract values (null: the type could not be found). */
  readonly resolvedTypes?: ReadonlyMap<object, string | null>;
  /**
   * When given, a `resolveType` that answers with a promise hands it over here and the walk goes on past that value,
   * instead of stopping at an `unresolved-type` problem (the mutation path awaits it and walks again).
   */
  readonly onPendingType?: (value: object, answer: PromiseLike<unknown>, type: GraphQLAbstractType) => void;
  /** When given, a value whose concrete type cannot be found is handed over here and the walk goes on past it. */
  readonly onUnresolved?: (type: GraphQLAbstractType, value: object) => void;
  /**
   * Called for a property whose reading threw (an ORM relation that was not loaded), which the walk then skips.
   * Without it such a property is a problem: nothing below it can be seen, so a value holding it cannot be tagged.
   */
  readonly onUnreadable?: (coordinate: string, error: unknown) => void;
}

/** Why tags could not be derived soundly; the value must then not be cached. */
export type DeriveProblem =
  | { readonly kind: 'unresolved-type'; readonly typeName: string }
  | { readonly kind: 'entity-without-key'; readonly typeName: string; readonly keyFields: string }
  | { readonly kind: 'too-deep' }
  /** Reading the property of a field (`coordinate`) threw: what it holds is unknown. */
  | { readonly kind: 'unreadable'; readonly typeName: string; readonly coordinate: string; readonly message: string };

/** The identity of an entity value: its tag, or undefined when the type is no entity or a key is missing. */
export function entityIdentity(type: TypeCacheInfo | undefined, value: unknown): { tag: string; key: Record<string, unknown> } | undefined {
  if (!type?.keyFields || value === null || typeof value !== 'object') return undefined;
  const segments: string[] = [];
  const key: Record<string, unknown> = {};
  for (const path of type.keyFields) {
    // A key field behind a throwing accessor counts as missing.
    const current = readPath(value, path);
    if (typeof current === 'string' ? current.length === 0 : typeof current !== 'number' && typeof current !== 'bigint' && typeof current !== 'boolean') {
      return undefined;
    }
    segments.push(String(current));
    setPath(key, path, current);
  }
  return { tag: entityTag(type.name, segments), key };
}

/** Adds an entity's own tags (entity tag + type-level templates) to `sink`. */
export function addEntityTags(type: TypeCacheInfo, identity: { tag: string; key: Record<string, unknown> }, sink: Set<string>): void {
  sink.add(identity.tag);
  for (const template of type.tagTemplates) {
    const filled = fillTagTemplate(template, { $key: identity.key });
    if (filled.ok) for (const tag of filled.tags) sink.add(tag);
  }
}

/** Adds the tags of every entity in `value` (of GraphQL type `type`) to `sink`. */
export function deriveEntityTags(type: GraphQLOutputType, value: unknown, context: DeriveContext, sink: Set<string>): DeriveProblem | undefined {
  return walk(type, value, context, sink, 0, new Set());
}

function walk(type: GraphQLOutputType, value: unknown, context: DeriveContext, sink: Set<string>, depth: number, seen: Set<object>): DeriveProblem | undefined {
  if (value === null || value === undefined || typeof value !== 'object') return undefined;
  if (depth > MAX_DERIVE_DEPTH) return { kind: 'too-deep' };
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    if (!Array.isArray(value)) return undefined;
    for (const item of value) {
      const problem = walk(nullable.ofType, item, context, sink, depth + 1, seen);
      if (problem) return problem;
    }
    return undefined;
  }
  const named = getNamedType(nullable);
  if (isLeafType(named) || seen.has(value)) return undefined;
  seen.add(value);
  const concrete = isAbstractType(named) ? resolveConcreteType(named, value, context) : isObjectType(named) ? named : undefined;
  if (concrete === PENDING) return undefined;
  if (!concrete) {
    if (context.onUnresolved && isAbstractType(named)) {
      context.onUnresolved(named, value);
      return undefined;
    }
    return { kind: 'unresolved-type', typeName: named.name };
  }
  const typeInfo = context.types.get(concrete.name);
  if (typeInfo?.keyFields) {
    const identity = entityIdentity(typeInfo, value);
    if (!identity) return { kind: 'entity-without-key', typeName: concrete.name, keyFields: typeInfo.keyFields.map((p) => p.join('.')).join(' ') };
    addEntityTags(typeInfo, identity, sink);
  }
  context.onObject?.(concrete, value);
  const fields = walkFieldsOf(concrete, context.listScopes);
  for (const name of Object.keys(value)) {
    const field = fields.get(name);
    if (!field) continue;
    // A scoped list carried in the raw value (no resolver of its own): the value depends on that list's scope.
    if (field.scope) sink.add(listEntryTag(field.scope, { $parent: value }));
    // A scalar or enum holds no entity: its property is not read (it may be an accessor with a cost or a failure).
    if (field.leaf) continue;
    let property: unknown;
    try {
      property = (value as Record<string, unknown>)[name];
    } catch (error) {
      // A throwing accessor (an unloaded ORM relation): the response cannot contain what it would hold unless a
      // resolver of its own supplies it, but this walk cannot see inside, so it is a problem unless skipping is asked.
      const coordinate = `${concrete.name}.${name}`;
      if (context.onUnreadable) {
        context.onUnreadable(coordinate, error);
        continue;
      }
      return { kind: 'unreadable', typeName: concrete.name, coordinate, message: error instanceof Error ? error.message : String(error) };
    }
    const problem = walk(field.type, property, context, sink, depth + 1, seen);
    if (problem) return problem;
  }
  return undefined;
}

/** What the walk needs of a field of a concrete type: its type, whether it is a scalar or enum, its list scope. */
interface WalkField {
  readonly type: GraphQLOutputType;
  readonly leaf: boolean;
  readonly scope: ListScope | undefined;
}

/**
 * The fields of each object type as the walk reads them, by list-scope map (a plan's): built once per type instead of
 * once per property of every object walked (a coordinate string and a map lookup each). Sized to the schema.
 */
const walkFieldsByScopes = new WeakMap<object, WeakMap<GraphQLObjectType, ReadonlyMap<string, WalkField>>>();
const noListScopes = {};

function walkFieldsOf(type: GraphQLObjectType, listScopes: ReadonlyMap<string, ListScope> | undefined): ReadonlyMap<string, WalkField> {
  let byType = walkFieldsByScopes.get(listScopes ?? noListScopes);
  if (!byType) walkFieldsByScopes.set(listScopes ?? noListScopes, (byType = new WeakMap()));
  let fields = byType.get(type);
  if (!fields) {
    const built = new Map<string, WalkField>();
    for (const [name, field] of Object.entries(type.getFields())) {
      built.set(name, { type: field.type, leaf: isLeafType(getNamedType(field.type)), scope: listScopes?.get(`${type.name}.${name}`) });
    }
    byType.set(type, (fields = built));
  }
  return fields;
}

/**
 * The concrete type of a value of an abstract type, as graphql-js would pick
 * it: `__typename`, else the type's `resolveType` (when it answers
 * synchronously), else the first possible type whose `isTypeOf` says yes.
 */
function resolveConcreteType(type: GraphQLAbstractType, value: object, context: DeriveContext): GraphQLObjectType | typeof PENDING | undefined {
  const fromValue = (value as { __typename?: unknown }).__typename;
  let name: unknown = typeof fromValue === 'string' ? fromValue : context.resolvedTypes?.get(value);
  if (name === null) return undefined;
  if (name === undefined && type.resolveType) {
    let resolved: unknown;
    try {
      resolved = type.resolveType(value, context.contextValue, context.info, type);
    } catch {
      // graphql-js reports the error on the field; here the type is just unknown.
      return undefined;
    }
    if (typeof resolved === 'string') name = resolved;
    else if (isPromiseLike(resolved)) {
      if (context.onPendingType) {
        context.onPendingType(value, resolved, type);
        return PENDING;
      }
      // Not awaited here: a rejection must not surface as an unhandled one (graphql-js awaits its own call).
      resolved.then(undefined, () => {});
    }
  }
  if (typeof name === 'string') {
    const found = context.schema.getType(name);
    return isObjectType(found) ? found : undefined;
  }
  for (const candidate of context.schema.getPossibleTypes(type)) {
    if (candidate.isTypeOf?.(value, context.contextValue, context.info) === true) return candidate;
  }
  return undefined;
}

/** Returned by {@link resolveConcreteType} when the type answer was handed to `onPendingType`. */
const PENDING = Symbol('cachetag.pendingType');

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i]!;
    node = (node[segment] ??= {}) as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/**
 * Cached entity resolution in a Federation subgraph: each representation of an `_entities` request is looked up and
 * filled as its own entry (coordinate `Type.__resolveReference`), so only the entities missing from the store reach
 * the type's reference resolver. The type's reference resolver is wrapped rather than `Query._entities`, so
 * `@apollo/subgraph` keeps answering everything else (unknown typenames, interfaces, `__typename`) exactly as it does.
 */
import { type GraphQLInterfaceType, type GraphQLObjectType, type GraphQLResolveInfo, isInterfaceType, isObjectType } from 'graphql';
import type { CachePlan, FieldPlan } from '../engine/plan.js';
import type { FieldCall } from '../engine/fieldCall.js';
import { directiveNamesOf } from '../directives/link.js';
import { hasNoPrivate } from '../engine/privacy.js';
import { entityCacheControl } from './entityCacheControl.js';
import { entityKeysOf, matchKey, type EntityKey } from './entityKeys.js';
import { isSubgraphSchema, referenceResolverOf, setReferenceResolver, type ReferenceResolver } from './subgraph.js';

/** The engine's cached resolution of one field (lookup, single flight, fill), given one resolver call. */
export type ResolveCached = (call: FieldCall) => Promise<unknown>;

const ORIGINAL = Symbol('cachetag.originalReferenceResolver');
type Wrapped = ReferenceResolver & { [ORIGINAL]?: ReferenceResolver };

/**
 * Wraps the reference resolver of every entity type of a subgraph schema whose `@cacheControl` gives it a maxAge.
 * Types without a reference resolver are left alone: `@apollo/subgraph` answers them with the representation itself,
 * which a lookup could only slow down. Idempotent. Does nothing on a schema that is not a subgraph.
 */
export function instrumentEntityResolution(cachePlan: CachePlan, resolveCached: ResolveCached): void {
  const { schema } = cachePlan;
  if (!isSubgraphSchema(schema)) return;
  const names = directiveNamesOf(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    const current = referenceResolverOf(type) as Wrapped | undefined;
    if (!current) continue;
    const original = current[ORIGINAL] ?? current;
    const typeInfo = cachePlan.types.get(type.name);
    const ttlMs = (typeInfo?.hint?.maxAge ?? 0) * 1000;
    const keys = entityKeysOf(type, names);
    if (!(ttlMs > 0) || !keys.some((key) => key.resolvable)) {
      if (current !== original) setReferenceResolver(type, original);
      continue;
    }
    setReferenceResolver(type, wrapReferenceResolver(cachePlan, type, original, keys, ttlMs, typeInfo?.hint?.scope ?? 'PUBLIC', resolveCached));
  }
}

function wrapReferenceResolver(
  cachePlan: CachePlan,
  type: GraphQLObjectType | GraphQLInterfaceType,
  original: ReferenceResolver,
  keys: readonly EntityKey[],
  ttlMs: number,
  scope: FieldPlan['scope'],
  resolveCached: ResolveCached,
): Wrapped {
  const primaryFields = cachePlan.types
    .get(type.name)
    ?.keyFields?.map((path) => path.join('.'))
    .join(' ');
  const plan = (typeName: string): FieldPlan => ({
    coordinate: `${type.name}.__resolveReference`,
    typeName,
    fieldName: '__resolveReference',
    mode: 'cache',
    invalidatesInMutation: false,
    ttlMs,
    scope,
    // The selection below an entity may reach PRIVATE fields read from the resolver's raw value: walked when it can.
    selectionCanBePrivate: !hasNoPrivate(cachePlan),
    tagTemplates: [],
    invalidates: [],
    cacheNull: false,
  });
  // A representation by the entity's key is identified like the entity (its tag and type-level @cacheTags);
  // one by another key is identified by the representation alone, and tagged by the entity it resolves to.
  const byEntityKey = plan(type.name);
  const byOtherKey = plan(cachePlan.schema.getQueryType()!.name);
  const typeHint = { maxAge: ttlMs / 1000, scope };
  const entityKeys = new Set(keys.filter((key) => key.leaves.map((leaf) => leaf.path.join('.')).join(' ') === primaryFields));
  const wrapped: Wrapped = (reference, context, info) => {
    // Called outside an `_entities` execution (no resolve info), or with nothing cachetag can identify: as it was.
    const key = reference !== null && typeof reference === 'object' && isResolveInfo(info) ? matchKey(keys, reference) : undefined;
    if (!key) return original(reference, context, info);
    const { __typename: _typename, ...args } = reference;
    const isEntityKey = entityKeys.has(key);
    // The value is one entity of this type, not the `[_Entity]!` list the field returns: its tags are derived as such,
    // and its cache policy is its own (see entityCacheControl). The reference resolver gets this info too.
    const entityInfo: GraphQLResolveInfo = {
      ...(info as GraphQLResolveInfo),
      returnType: type,
      ...(hasCacheControl(info) ? { cacheControl: entityCacheControl(info.cacheControl, typeHint) } : {}),
    };
    const resolve = async (_source: unknown, _args: unknown, ctx: unknown, resolveInfo: GraphQLResolveInfo) =>
      withoutHiddenTypename(await original(reference, ctx, resolveInfo));
    return resolveCached({ cachePlan, plan: isEntityKey ? byEntityKey : byOtherKey, resolve, source: reference, args, context, info: entityInfo });
  };
  wrapped[ORIGINAL] = original;
  return wrapped;
}

/**
 * `@apollo/subgraph` marks every entity it returns with a non-enumerable `__typename` (`Object.defineProperty` on the
 * resolver's own object). A resolver that hands out the same object again (rows kept in memory) would then return a
 * value the codec refuses (a hidden property), so such a plain object is copied without it, and the copy is what
 * `@apollo/subgraph` marks.
 */
function withoutHiddenTypename(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const descriptor = Object.getOwnPropertyDescriptor(value, '__typename');
  if (!descriptor || descriptor.enumerable) return value;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null ? { ...value } : value;
}

function isResolveInfo(info: unknown): info is GraphQLResolveInfo {
  return info !== null && typeof info === 'object' && 'operation' in info && 'path' in info;
}

function hasCacheControl(info: unknown): info is { cacheControl: unknown } {
  return (info as { cacheControl?: unknown }).cacheControl !== undefined;
}

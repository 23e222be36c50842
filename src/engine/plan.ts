/**
 * The cache plan of a schema: the effective policy of every field, computed
 * once per schema with Apollo's rules, so the resolve path only looks things
 * up. Pure functions; nothing here touches a store.
 */
import { createHash } from 'node:crypto';
import { getNamedType, isAbstractType, isCompositeType, isLeafType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import type { GraphQLNamedType } from 'graphql';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { CacheDirectives, CacheHint, CacheScope, FieldCacheInfo, TypeCacheInfo } from '../directives/model.js';
import { parseTagTemplate, type TagTemplate } from '../tags/template.js';
import type { ListScope } from '../directives/model.js';
import { mutationWriteFields } from './mutationWrites.js';
import { objectTypesReachableFrom } from '../directives/reachableTypes.js';
import { objectTypesOf } from './selection.js';

/** How one field is treated. */
export interface FieldPlan {
  readonly coordinate: string;
  readonly typeName: string;
  readonly fieldName: string;
  /**
   * `'cache'` for cached query fields, `'mutation'` for uncached writes (mutation fields, and fields below the
   * mutation root that invalidate: see {@link FieldPlan.invalidatesInMutation}), `'none'` otherwise.
   */
  readonly mode: 'cache' | 'mutation' | 'none';
  /**
   * Resolved inside a mutation operation, the field invalidates what it returns and its `@invalidates` tags: every
   * field of the mutation type, and the fields `mutationWriteFields` finds below it (namespaced mutations).
   */
  readonly invalidatesInMutation: boolean;
  /** Effective time to live in milliseconds (0 when not cached). */
  readonly ttlMs: number;
  /**
   * `'PRIVATE'` when the field's own policy is (Apollo's rule), and also when a value it returns can be of a PRIVATE
   * object type (a possible type of the interface or union it returns): cachetag is stricter than Apollo there.
   */
  readonly scope: CacheScope;
  /** Why {@link scope} is PRIVATE when Apollo's rule alone says PUBLIC: the PRIVATE possible types. */
  readonly privateBecause?: string;
  /**
   * True when a selection below the field can reach a PRIVATE field or type (the schema allows it): only then is the
   * request's selection walked to decide whether it does.
   */
  readonly selectionCanBePrivate: boolean;
  readonly tagTemplates: readonly TagTemplate[];
  readonly invalidates: readonly TagTemplate[];
  readonly cacheNull: boolean;
  /** The field's `@listScope`, when it is a scoped list. */
  readonly listScope?: ListScope;
}

export interface CachePlan {
  readonly schema: GraphQLSchema;
  /**
   * A hash of the schema with its directives (and of the cache's `version`, in a plan a cache built): part of every
   * key, so a changed schema (or deploy) never reads old entries.
   */
  readonly schemaHash: string;
  readonly types: ReadonlyMap<string, TypeCacheInfo>;
  readonly fields: ReadonlyMap<string, FieldPlan>;
  /** Every list scope, by the list field's coordinate. */
  readonly listScopes: ReadonlyMap<string, ListScope>;
  /** The list scopes an entity of a concrete object type belongs to (through its own type, its interfaces or unions). */
  readonly listScopesByType: ReadonlyMap<string, readonly ListScope[]>;
  /**
   * Coordinates of the fields that had a resolver of their own when the plan
   * was built. Servers may wrap every resolver later (Apollo does, for
   * plugins that watch fields), so `field.resolve` cannot tell afterwards.
   */
  readonly resolverFields: ReadonlySet<string>;
  /**
   * Fields that return a scalar or enum, on a non-root type, with no `maxAge`
   * of their own: Apollo's rule is that they inherit their parent's policy.
   * They are not cached by themselves (a field-level lookup would cost more
   * than most such resolvers), but the operation tier may store responses
   * that contain them, depending on their parent's tags and their own
   * `@cacheTag` templates (the value: those templates).
   */
  readonly inheritingFields: ReadonlyMap<string, readonly TagTemplate[]>;
  /** Every field's own `@cacheControl`, by coordinate (for the static cache policy of an operation). */
  readonly fieldHints: ReadonlyMap<string, CacheHint>;
  /** Object types whose own `@cacheControl` says PRIVATE. */
  readonly privateTypes: ReadonlySet<string>;
  /**
   * Coordinates of every field (cached or not) whose value is PRIVATE: its policy is, by Apollo's rule, or one of its
   * possible types is a PRIVATE object type. Empty when the schema has no PRIVATE hint.
   */
  readonly privateFields: ReadonlySet<string>;
}

/**
 * Apollo's rule for a field's hint: the field's own `@cacheControl`, else the
 * hint of the type it returns (for object, interface and union types).
 * `inheritMaxAge` fields take no maxAge from their return type. Only a
 * positive maxAge caches; there is no infinite default.
 */
export function effectivePolicy(field: FieldCacheInfo | undefined, returnType: TypeCacheInfo | undefined): { maxAge: number; scope: CacheScope } {
  const fieldHint = field?.hint;
  const typeHint = returnType?.hint;
  const maxAge = fieldHint?.maxAge ?? (fieldHint?.inheritMaxAge ? undefined : typeHint?.maxAge) ?? 0;
  const scope = fieldHint?.scope ?? typeHint?.scope ?? 'PUBLIC';
  return { maxAge, scope };
}

/** Builds the plan of a schema from its validated directives. */
export function buildCachePlan(schema: GraphQLSchema, directives: CacheDirectives): CachePlan {
  const fields = new Map<string, FieldPlan>();
  const resolverFields = new Set<string>();
  const inheritingFields = new Map<string, readonly TagTemplate[]>();
  const rootTypes = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean));
  const mutationType = schema.getMutationType();
  const subscriptionType = schema.getSubscriptionType();
  const writes = mutationWriteFields(schema, directives);
  const readReach = new Set<string>();
  for (const root of [schema.getQueryType(), subscriptionType]) if (root) for (const name of objectTypesReachableFrom(schema, root)) readReach.add(name);
  const privateTypes = new Set<string>();
  for (const [name, info] of directives.types) if (info.hint?.scope === 'PRIVATE' && isObjectType(schema.getType(name))) privateTypes.add(name);
  const privateFields = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !('getFields' in type) || !('getInterfaces' in type) || !('isTypeOf' in type)) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      if (field.resolve) resolverFields.add(coordinate);
      const info = directives.fields.get(coordinate);
      const named = getNamedType(field.type);
      const { maxAge, scope: apolloScope } = effectivePolicy(info, isCompositeType(named) ? directives.types.get(named.name) : undefined);
      const privatePossible = privateTypes.size > 0 && isAbstractType(named) ? schema.getPossibleTypes(named).filter((t) => privateTypes.has(t.name)) : [];
      const scope: CacheScope = privatePossible.length > 0 ? 'PRIVATE' : apolloScope;
      if (scope === 'PRIVATE') privateFields.add(coordinate);
      const invalidatesInMutation = type === mutationType || writes.has(coordinate);
      let mode: FieldPlan['mode'] = type === mutationType ? 'mutation' : type === subscriptionType ? 'none' : maxAge > 0 ? 'cache' : 'none';
      // A write only a mutation reaches (a namespaced mutation) is never resolved in a query: nothing to cache.
      if (invalidatesInMutation && (mode === 'none' || !readReach.has(type.name))) mode = 'mutation';
      if (mode === 'none') {
        if (isLeafType(named) && info?.hint?.maxAge === undefined && !rootTypes.has(type as GraphQLObjectType)) {
          inheritingFields.set(coordinate, info?.tagTemplates ?? []);
        }
        continue;
      }
      const tagTemplates = [...(info?.tagTemplates ?? [])];
      // A cached null carries the tag the entity would have had (Product:999), so creating it invalidates the null.
      if (info?.cacheNull) {
        const wouldBe = wouldBeEntityTemplate(
          directives.types.get(named.name),
          field.args.map((a) => a.name),
        );
        if (wouldBe && !tagTemplates.some((t) => t.format === wouldBe.format)) tagTemplates.push(wouldBe);
      }
      fields.set(coordinate, {
        coordinate,
        typeName: type.name,
        fieldName: field.name,
        mode,
        invalidatesInMutation,
        ttlMs: mode === 'cache' ? maxAge * 1000 : 0,
        scope,
        selectionCanBePrivate: false,
        ...(apolloScope !== scope
          ? { privateBecause: `${privatePossible.map((t) => t.name).join(', ')} ${privatePossible.length > 1 ? 'are' : 'is'} PRIVATE` }
          : {}),
        tagTemplates,
        invalidates: info?.invalidates ?? [],
        cacheNull: info?.cacheNull ?? false,
        ...(info?.listScope ? { listScope: info.listScope } : {}),
      });
    }
  }
  if (privateFields.size > 0 || privateTypes.size > 0) {
    const reaching = typesReachingPrivate(schema, privateTypes, privateFields);
    for (const [coordinate, plan] of fields) {
      const field = (schema.getType(plan.typeName) as GraphQLObjectType).getFields()[plan.fieldName]!;
      if (objectTypesOf(schema, getNamedType(field.type)).some((t) => reaching.has(t.name))) fields.set(coordinate, { ...plan, selectionCanBePrivate: true });
    }
  }
  const listScopes = new Map<string, ListScope>();
  const listScopesByType = new Map<string, ListScope[]>();
  for (const scopes of directives.listScopes.values()) {
    for (const listScope of scopes) {
      listScopes.set(listScope.coordinate, listScope);
      const itemType = schema.getType(listScope.itemType);
      const concrete = isObjectType(itemType) ? [itemType] : isAbstractType(itemType) ? schema.getPossibleTypes(itemType) : [];
      for (const type of concrete) listScopesByType.set(type.name, [...(listScopesByType.get(type.name) ?? []), listScope]);
    }
  }
  const schemaHash = createHash('sha256').update(printSchemaWithDirectives(schema)).digest('base64url').slice(0, 16);
  const fieldHints = new Map<string, CacheHint>();
  for (const [coordinate, info] of directives.fields) if (info.hint) fieldHints.set(coordinate, info.hint);
  return {
    schema,
    schemaHash,
    types: directives.types,
    fields,
    listScopes,
    listScopesByType,
    resolverFields,
    inheritingFields,
    fieldHints,
    privateTypes,
    privateFields,
  };
}

/** The object types from which a selection can reach a PRIVATE field or a PRIVATE type (themselves included). */
function typesReachingPrivate(schema: GraphQLSchema, privateTypes: ReadonlySet<string>, privateFields: ReadonlySet<string>): Set<string> {
  const objects = Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'));
  const reaching = new Set<string>();
  // A fixpoint over the type graph (it may have cycles): each pass adds the types one step further up.
  for (let changed = true; changed;) {
    changed = false;
    for (const type of objects) {
      if (reaching.has(type.name)) continue;
      const reaches =
        privateTypes.has(type.name) ||
        Object.values(type.getFields()).some(
          (f) => privateFields.has(`${type.name}.${f.name}`) || objectTypesOf(schema, getNamedType(f.type)).some((t) => reaching.has(t.name)),
        );
      if (reaches) {
        reaching.add(type.name);
        changed = true;
      }
    }
  }
  return reaching;
}

/** `Product:{$args.id}` when the field's arguments are named like all of the entity's (top-level) key fields. */
function wouldBeEntityTemplate(type: TypeCacheInfo | undefined, argNames: readonly string[]): TagTemplate | undefined {
  if (!type?.keyFields || !type.keyFields.every((path) => path.length === 1 && argNames.includes(path[0]!))) return undefined;
  const parsed = parseTagTemplate(`${type.name}${type.keyFields.map((path) => `:{$args.${path[0]}}`).join('')}`);
  return 'error' in parsed ? undefined : parsed;
}

/** Where a field may be resolved relative to PRIVATE fields; see {@link privateAncestry}. */
export interface PrivateAncestry {
  /** The outermost PRIVATE fields the field may be resolved below (`Query.me`). */
  readonly below: readonly string[];
  /** True when the field is also reachable from the query type with no PRIVATE field above it. */
  readonly public: boolean;
}

/**
 * The PRIVATE fields each field of the schema may sit below, walking every
 * path from the query type (through interface and union members). A field's
 * own scope is Apollo's: its hint's, else its return type's. A cached field
 * below a PRIVATE field holds per-user data (its parent's), so the engine
 * keys it by session there; `cachetag plan` shows this.
 */
export function privateAncestry(plan: CachePlan): ReadonlyMap<string, PrivateAncestry> {
  const result = new Map<string, { below: Set<string>; public: boolean }>();
  const seen = new Set<string>();
  const visit = (type: GraphQLNamedType, above: string | undefined): void => {
    const objects = isObjectType(type) ? [type] : isAbstractType(type) ? plan.schema.getPossibleTypes(type) : [];
    for (const object of objects) {
      const state = `${object.name}\0${above ?? ''}`;
      if (seen.has(state)) continue;
      seen.add(state);
      for (const field of Object.values(object.getFields())) {
        const coordinate = `${object.name}.${field.name}`;
        const entry = result.get(coordinate) ?? { below: new Set<string>(), public: false };
        result.set(coordinate, entry);
        if (above) entry.below.add(above);
        else entry.public = true;
        const named = getNamedType(field.type);
        if (!isCompositeType(named)) continue;
        const scope = plan.fieldHints.get(coordinate)?.scope ?? plan.types.get(named.name)?.hint?.scope;
        visit(named, above ?? (scope === 'PRIVATE' ? coordinate : undefined));
      }
    }
  };
  const queryType = plan.schema.getQueryType();
  if (queryType) visit(queryType, undefined);
  return new Map([...result].map(([coordinate, entry]) => [coordinate, { below: [...entry.below], public: entry.public }]));
}

/**
 * The model the cache directives compile to (hints, entity keys, tag templates, list scopes): types only, so the
 * layers below the validator (tags, engine) depend on the model, never on the validator.
 */
import type { GraphQLLeafType } from 'graphql';
import type { TagTemplate } from '../tags/template.js';

/** Apollo's cache hint, as written on a field or a type. */
export interface CacheHint {
  /** Seconds; absent when the hint does not set it. */
  readonly maxAge?: number;
  readonly scope?: CacheScope;
  readonly inheritMaxAge?: boolean;
}

/** Who may share a cached value: everyone, or only the same session. */
export type CacheScope = 'PUBLIC' | 'PRIVATE';

/** What the directives say about one named type. */
export interface TypeCacheInfo {
  readonly name: string;
  /**
   * Key field paths when the type is an entity (`[["id"]]`, or
   * `[["sku"], ["organization", "id"]]` for a composite key), from Federation's
   * `@key`, else `@cacheKey`, else an `id` field. Absent for non-entities.
   */
  readonly keyFields?: readonly (readonly string[])[];
  readonly hint?: CacheHint;
  /** Type-level `@cacheTag` templates (they may only use `{$key...}`). */
  readonly tagTemplates: readonly TagTemplate[];
}

/** What the directives say about one field of an object type. */
export interface FieldCacheInfo {
  /** `Type.field`. */
  readonly coordinate: string;
  readonly typeName: string;
  readonly fieldName: string;
  readonly hint?: CacheHint;
  readonly tagTemplates: readonly TagTemplate[];
  readonly invalidates: readonly TagTemplate[];
  /** True when `@cacheNull` asks for null results to be cached. */
  readonly cacheNull: boolean;
  /** The `@listScope` of a list field. */
  readonly listScope?: ListScope;
}

/** The compiled cache directives of a schema. */
export interface CacheDirectives {
  readonly types: ReadonlyMap<string, TypeCacheInfo>;
  readonly fields: ReadonlyMap<string, FieldCacheInfo>;
  /** List scopes by item type name. */
  readonly listScopes: ReadonlyMap<string, readonly ListScope[]>;
}

/** One filter of a list scope. */
export interface ListFilter {
  /** Path of the item field: `["storeId"]`. */
  readonly itemPath: readonly string[];
  readonly source: '$args' | '$parent';
  /** Path of the argument or parent field. */
  readonly sourcePath: readonly string[];
  /** The item field's scalar or enum type: both sides are compared as it serializes them (a Boolean stored as 1 is `true`). */
  readonly itemType?: GraphQLLeafType;
  /** The argument's or parent field's scalar or enum type. */
  readonly sourceType?: GraphQLLeafType;
}

/** A list field's scope. */
export interface ListScope {
  /** The list field's coordinate. */
  readonly coordinate: string;
  /** The item type named by the list (an object, interface or union type). */
  readonly itemType: string;
  /** How items sit in the field's value: directly in a list, or as a connection's `edges[].node` or `nodes[]`. */
  readonly shape: 'list' | 'edges' | 'nodes';
  readonly filters: readonly ListFilter[];
}

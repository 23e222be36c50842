/**
 * Tags of scoped lists. A cached list filtered by `storeId: 2` and no
 * category carries `Product:%list:Query.products:2:%any`; a changed Product
 * with `storeId: 2, category: "tea"` invalidates every combination of its
 * values and "no filter" (`2:tea`, `2:%any`, `%any:tea`, `%any:%any`), which
 * is exactly the set of lists it belongs in. The `%` segments cannot collide
 * with escaped values (escaping turns every `%` into `%25`), and the tags sit
 * below the type's name, so `invalidate('Product')` covers them too.
 */
import type { GraphQLLeafType } from 'graphql';
import type { ListScope } from '../directives/model.js';
import { TAG_SEPARATOR, valueSegment } from './hierarchy.js';
import { readPath } from '../internal/readPath.js';

/** The segment under a type name that holds its list tags. */
export const LIST_SEGMENT = '%list';
/** The value segment of a filter that is not applied. */
export const ANY_VALUE = '%any';

/** `Product:%list`: the ancestor of every list tag of an item type. */
export function allListsTag(itemType: string): string {
  return itemType + TAG_SEPARATOR + LIST_SEGMENT;
}

/** The tag of one cached list, from its arguments and parent; a filter without a value is "no filter". */
export function listEntryTag(scope: ListScope, values: { $args?: unknown; $parent?: unknown }): string {
  let tag = allListsTag(scope.itemType) + TAG_SEPARATOR + scope.coordinate;
  for (const filter of scope.filters) {
    const raw = readPath(values[filter.source], filter.sourcePath);
    const value = serialized(filter.sourceType, raw);
    const segment = segmentOf(value === UNSERIALIZABLE ? raw : value);
    tag += TAG_SEPARATOR + (segment ?? ANY_VALUE);
  }
  return tag;
}

/**
 * The tags of every list of `scope` that `entity` belongs in, or undefined
 * when the entity lacks a filtered field (the caller then falls back to
 * {@link allListsTag}).
 */
export function entityListTags(scope: ListScope, entity: object): string[] | undefined {
  let tags = [allListsTag(scope.itemType) + TAG_SEPARATOR + scope.coordinate];
  for (const filter of scope.filters) {
    const value = serialized(filter.itemType, readPath(entity, filter.itemPath));
    // Missing, or not a value of the field's type: the caller falls back to every list of the type.
    if (value === undefined || value === UNSERIALIZABLE) return undefined;
    const segment = segmentOf(value);
    // A null item value is in no list filtered by a value, only in unfiltered ones.
    const options = segment === undefined ? [ANY_VALUE] : [segment, ANY_VALUE];
    const next: string[] = [];
    for (const tag of tags) for (const option of options) next.push(tag + TAG_SEPARATOR + option);
    tags = next;
  }
  return tags;
}

const UNSERIALIZABLE = Symbol('cachetag.unserializable');

/**
 * A filter value as GraphQL serializes it for the response (`1` for a `Boolean` is `true`, an enum's internal value
 * is its name), so a list and the items it contains agree on what they compare.
 */
function serialized(type: GraphQLLeafType | undefined, value: unknown): unknown {
  if (type === undefined || value === null || value === undefined) return value;
  try {
    return type.serialize(value);
  } catch {
    return UNSERIALIZABLE;
  }
}

function segmentOf(value: unknown): string | undefined {
  // An empty string is a value here (a list may filter by ""); "%empty" cannot collide with an escaped value.
  return value === '' ? '%empty' : valueSegment(value);
}

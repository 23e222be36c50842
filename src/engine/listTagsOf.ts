/**
 * The list tags a changed object invalidates: those of the scoped lists it belongs in, or the type's every-list tag
 * (with a warning) when it lacks a field a list filters by. Used by mutations and `invalidateEntities()`.
 */
import type { GraphQLObjectType } from 'graphql';
import { allListsTag, entityListTags } from '../tags/listTags.js';
import type { CachePlan } from './plan.js';
import { readPath } from '../internal/readPath.js';
import type { Failures } from './failures.js';

/** The list tags an object belongs in (its type's list scopes), or the type's every-list tag when a filtered value is missing. */
export function addListTagsOf(
  failures: Pick<Failures, 'warnOnce'>,
  cachePlan: CachePlan,
  type: GraphQLObjectType,
  object: object,
  tags: Set<string>,
  origin: string,
): void {
  const unfiltered: string[] = [];
  let fallback: string | undefined;
  for (const listScope of cachePlan.listScopesByType.get(type.name) ?? []) {
    const listTags = entityListTags(listScope, object);
    if (listTags) {
      for (const tag of listTags) tags.add(tag);
      continue;
    }
    fallback = allListsTag(listScope.itemType);
    tags.add(fallback);
    const missing = listScope.filters.map((f) => f.itemPath.join('.')).filter((path) => readPath(object, path.split('.')) === undefined);
    unfiltered.push(`${listScope.coordinate}: ${missing.map((m) => `"${m}"`).join(', ')}`);
  }
  if (fallback) {
    failures.warnOnce(
      `list-fallback:${origin}:${type.name}`,
      `${origin} returned a value of type ${type.name} without fields its lists filter by (${unfiltered.join('; ')}), so every cached list of it was invalidated ("${fallback}"). Return those fields from the mutation to invalidate only the lists the ${type.name} belongs in.`,
    );
  }
}

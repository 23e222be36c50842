/**
 * `cachePolicies`: what the engine does with each field it touches, as data
 * usable at run time and in docs. The set of fields and their mode come from
 * the engine's own cache plan; max age and scope from Apollo's rule
 * (`effectivePolicy`), in seconds as the SDL states them.
 */
import { getNamedType, isCompositeType, isObjectType, type GraphQLSchema } from 'graphql';
import type { CacheDirectives, CacheScope } from '../directives/validate.js';
import { buildCachePlan, effectivePolicy } from '../engine/plan.js';
import { byCodeUnits, quote } from './source.js';

/** The policy of one field, as emitted. */
export interface FieldPolicy {
  readonly coordinate: string;
  readonly mode: 'cache' | 'mutation';
  /** Seconds; 0 for mutations, which are never cached. */
  readonly maxAge: number;
  readonly scope: CacheScope;
  readonly tags: readonly string[];
  readonly invalidates: readonly string[];
  readonly cacheNull: boolean;
  /** A scoped list's item type and filters (`item.path: $args.path`), as `@listScope` declares them. */
  readonly listScope?: { readonly itemType: string; readonly filters: readonly string[] };
}

/** The policies of every cached field and every mutation field, sorted by coordinate. */
export function fieldPolicies(schema: GraphQLSchema, directives: CacheDirectives): FieldPolicy[] {
  const plan = buildCachePlan(schema, directives);
  const policies: FieldPolicy[] = [];
  for (const field of plan.fields.values()) {
    if (field.mode === 'none') continue;
    const type = schema.getType(field.typeName);
    const definition = isObjectType(type) ? type.getFields()[field.fieldName] : undefined;
    const returned = definition ? getNamedType(definition.type) : undefined;
    const { maxAge, scope } = effectivePolicy(
      directives.fields.get(field.coordinate),
      returned && isCompositeType(returned) ? directives.types.get(returned.name) : undefined,
    );
    policies.push({
      coordinate: field.coordinate,
      mode: field.mode,
      maxAge: field.mode === 'cache' ? maxAge : 0,
      scope,
      tags: field.tagTemplates.map((t) => t.format),
      invalidates: field.invalidates.map((t) => t.format),
      cacheNull: field.cacheNull,
      ...(field.listScope
        ? {
            listScope: {
              itemType: field.listScope.itemType,
              filters: field.listScope.filters.map((f) => `${f.itemPath.join('.')}: ${[f.source, ...f.sourcePath].join('.')}`),
            },
          }
        : {}),
    });
  }
  return policies.sort((a, b) => byCodeUnits(a.coordinate, b.coordinate));
}

/** One `cachePolicies` entry. */
export function renderPolicy(policy: FieldPolicy): string {
  const list = (formats: readonly string[]) => `[${formats.map(quote).join(', ')}]`;
  return (
    `${quote(policy.coordinate)}: { mode: ${quote(policy.mode)}, maxAge: ${policy.maxAge}, scope: ${quote(policy.scope)}, ` +
    `tags: ${list(policy.tags)}, invalidates: ${list(policy.invalidates)}, cacheNull: ${policy.cacheNull}, ` +
    `listScope: ${policy.listScope ? `{ itemType: ${quote(policy.listScope.itemType)}, filters: ${list(policy.listScope.filters)} }` : 'null'} },`
  );
}

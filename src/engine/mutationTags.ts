/**
 * The tags a mutation invalidates: its `@invalidates` templates (with a literal-prefix fallback), and, once it
 * succeeded, every entity of its result and the lists they belong in. Whatever cannot be read widens the
 * invalidation instead of skipping it: the write happened.
 */
import { getNamedType, isAbstractType, isObjectType, type GraphQLObjectType } from 'graphql';
import type { DeriveProblem } from '../tags/derive.js';
import { describeUnfilled, fillTagTemplate, literalPrefix } from '../tags/template.js';
import { deriveTagsAwaitingTypes } from '../tags/deriveAwaitingTypes.js';
import { describeDeriveProblem } from './deriveProblem.js';
import { addListTagsOf } from './listTagsOf.js';
import type { FieldCall } from './fieldCall.js';
import type { Failures } from './failures.js';

/** Tags a mutation invalidates: its `@invalidates` templates, and (on success) every entity of its result. */
export async function mutationTags(
  failures: Pick<Failures, 'warnOnce'>,
  { cachePlan, plan, args, context, info }: FieldCall,
  result: { value: unknown } | undefined,
): Promise<string[]> {
  const { warnOnce } = failures;
  const tags = new Set<string>();
  for (const template of plan.invalidates) {
    const usesResult = template.variables.some((v) => v.source === '$result');
    if (usesResult && !result) continue;
    const filled = fillTagTemplate(template, { $args: args, $result: result?.value });
    if (filled.ok) {
      for (const tag of filled.tags) tags.add(tag);
      continue;
    }
    const prefix = literalPrefix(template);
    if (prefix) {
      tags.add(prefix);
      warnOnce(
        `invalidates:${plan.coordinate}:${template.format}`,
        `${plan.coordinate}: @invalidates(format: "${template.format}") ${describeUnfilled(filled)}; invalidated "${prefix}" (everything below it) instead.`,
      );
    } else {
      warnOnce(
        `invalidates-none:${plan.coordinate}:${template.format}`,
        `${plan.coordinate}: @invalidates(format: "${template.format}") ${describeUnfilled(filled)} and no literal prefix to fall back on; this tag could not be invalidated. Start the format with a literal segment ("Type:...").`,
      );
    }
  }
  if (result) {
    const onObject = (type: GraphQLObjectType, object: object) => addListTagsOf(failures, cachePlan, type, object, tags, plan.coordinate);
    // The write happened: an unreadable property (an unloaded relation) must not cost the rest of the invalidation.
    const onUnreadable = (coordinate: string, error: unknown) =>
      warnOnce(
        `mutation-unreadable:${plan.coordinate}:${coordinate}`,
        `${plan.coordinate} returned a value whose ${coordinate} threw when read (${error instanceof Error ? error.message : String(error)}); the entities it would hold were not invalidated, everything else was.`,
      );
    const fallbacks = new Set<string>();
    let problem: DeriveProblem | undefined;
    try {
      problem = await deriveTagsAwaitingTypes(
        info.returnType,
        result.value,
        { schema: cachePlan.schema, types: cachePlan.types, contextValue: context, info, onObject, onUnreadable },
        tags,
        fallbacks,
      );
    } catch (error) {
      // The write happened: whatever failed while reading its result (a throwing getter), invalidate every entity it could be.
      const named = getNamedType(info.returnType);
      const types = isAbstractType(named) ? cachePlan.schema.getPossibleTypes(named) : isObjectType(named) ? [named] : [];
      for (const type of types) tags.add(type.name);
      warnOnce(
        `mutation-derive-error:${plan.coordinate}`,
        `${plan.coordinate}: reading its result for tags failed (${String(error)}); invalidated every ${types.map((t) => t.name).join(', ')} instead.`,
      );
    }
    if (fallbacks.size > 0) {
      warnOnce(
        `mutation-fallback:${plan.coordinate}`,
        `${plan.coordinate} returned a value of the abstract type ${[...fallbacks].join(', ')} whose concrete type could not be determined (resolveType failed or answered nothing); invalidated the tags it would have as each of its possible types instead.`,
      );
    }
    if (problem) {
      const fallback = problem.kind === 'too-deep' || problem.kind === 'unreadable' ? undefined : problem.typeName;
      if (fallback) tags.add(fallback);
      warnOnce(
        `mutation-derive:${plan.coordinate}:${problem.kind}`,
        `${describeDeriveProblem(plan, problem)}${fallback ? ` Invalidated every "${fallback}" instead.` : ''}`,
      );
    }
  }
  return [...tags];
}

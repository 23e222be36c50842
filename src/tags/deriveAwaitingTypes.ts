/**
 * The tags of a mutation's result. A mutation is async anyway, so an async `resolveType` is awaited (as graphql-js
 * does) instead of giving up; a value whose type still cannot be found (resolveType threw, rejected or answered
 * nothing) is tagged as every possible type it could be, with its key, so the write it reports is never missed.
 */
import { isObjectType, type GraphQLAbstractType, type GraphQLOutputType } from 'graphql';
import { deriveEntityTags, MAX_DERIVE_DEPTH, type DeriveContext, type DeriveProblem } from './derive.js';

/** {@link deriveEntityTags}, awaiting async type resolutions; `fallbacks` receives the abstract types that fell back. */
export async function deriveTagsAwaitingTypes(
  type: GraphQLOutputType,
  value: unknown,
  context: DeriveContext,
  sink: Set<string>,
  fallbacks: Set<string> = new Set(),
): Promise<DeriveProblem | undefined> {
  const resolvedTypes = new Map<object, string | null>();
  // Each round resolves every abstract value the previous rounds could reach; nesting bounds the number of rounds.
  for (let round = 0; ; round++) {
    const pending: [object, PromiseLike<unknown>, GraphQLAbstractType][] = [];
    const unresolved: [GraphQLAbstractType, object][] = [];
    const roundSink = new Set<string>();
    const problem = deriveEntityTags(
      type,
      value,
      {
        ...context,
        resolvedTypes,
        onPendingType: (v, answer, abstract) => pending.push([v, answer, abstract]),
        onUnresolved: (abstract, v) => unresolved.push([abstract, v]),
      },
      roundSink,
    );
    if (pending.length === 0 || round >= MAX_DERIVE_DEPTH) {
      for (const tag of roundSink) sink.add(tag);
      for (const [, answer] of pending) answer.then(undefined, () => {});
      for (const [abstract, v] of [...unresolved, ...pending.map(([v, , abstract]) => [abstract, v] as const)]) {
        fallbacks.add(abstract.name);
        addPossibleTypeTags(abstract, v, context, sink);
      }
      return problem;
    }
    const answers = await Promise.allSettled(pending.map(([, answer]) => answer));
    answers.forEach((answer, i) => resolvedTypes.set(pending[i]![0], answer.status === 'fulfilled' && typeof answer.value === 'string' ? answer.value : null));
  }
}

/** Tags `value` as each possible type of `abstract` would be tagged; a type whose key fields it lacks, by the type's name. */
function addPossibleTypeTags(abstract: GraphQLAbstractType, value: object, context: DeriveContext, sink: Set<string>): void {
  for (const possible of context.schema.getPossibleTypes(abstract)) {
    // Walked without the async hooks: below a value of unknown type, anything unresolved falls back to type names.
    const { schema, types, listScopes, contextValue, info, onObject } = context;
    const plain: DeriveContext = { schema, types, contextValue, info, ...(listScopes ? { listScopes } : {}), ...(onObject ? { onObject } : {}) };
    const problem = deriveEntityTags(possible, value, plain, sink);
    if (!problem) continue;
    if (problem.kind === 'entity-without-key' || problem.kind === 'unresolved-type') {
      const named = context.schema.getType(problem.typeName);
      sink.add(problem.typeName);
      if (named && !isObjectType(named)) for (const type of context.schema.getPossibleTypes(named as GraphQLAbstractType)) sink.add(type.name);
    }
  }
}

/**
 * Schema instrumentation: validates a schema's cache directives, builds its plan, and wraps, in place, the resolvers
 * the engine must see (cached fields, mutation fields, tag-reporting and PRIVATE fields). Idempotent: a wrapped
 * resolver remembers the original, so instrumenting again wraps the original, never a wrapper.
 */
import { defaultFieldResolver, getNamedType, isLeafType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { assertValidCacheDirectives } from '../directives/validate.js';
import { CacheTagError } from '../errors.js';
import { describeUnfilled, fillTagTemplate } from '../tags/template.js';
import { buildCachePlan, type CachePlan, type FieldPlan } from './plan.js';
import { versionedSchemaHash } from './version.js';
import { markPrivate } from './privacy.js';
import { refuseDynamicHints } from './dynamicHints.js';
import type { RequestScopes } from './requestScopes.js';
import type { Failures } from './failures.js';
import type { FieldCall, Resolver } from './fieldCall.js';
import { instrumentEntityResolution } from '../federation/entityResolution.js';

const ORIGINAL_RESOLVER = Symbol('cachetag.originalResolver');
type WrappedResolver = Resolver & { [ORIGINAL_RESOLVER]?: Resolver | undefined };
type FieldMap = Record<string, GraphQLField<unknown, unknown> & { resolve?: WrappedResolver }>;

export interface InstrumentDeps {
  readonly hasSessionId: boolean;
  readonly version: string | undefined;
  readonly scopes: RequestScopes;
  /** Where a tag template without a value is reported (TEMPLATE_VALUE_MISSING). */
  readonly failures: Pick<Failures, 'failed'>;
  /** Resolves a cached field in a query (the field tier). */
  readonly resolveCached: (call: FieldCall) => Promise<unknown>;
  /** Resolves a cached field in a mutation operation (a bypass, or a write). */
  readonly resolveInMutation: (call: FieldCall) => unknown;
  /** Resolves a mutation field and invalidates what it wrote. */
  readonly resolveMutation: (call: FieldCall) => unknown;
}

export interface SchemaPlans {
  /** Instruments a schema (once) and returns its plan. */
  instrument(schema: GraphQLSchema): CachePlan;
  /** The plan of an instrumented schema. */
  planOf(schema: GraphQLSchema): CachePlan | undefined;
  /** The most recently instrumented schema's plan. */
  latest(): CachePlan | undefined;
  /** How many distinct schemas were instrumented. */
  count(): number;
}

export function createSchemaPlans(deps: InstrumentDeps): SchemaPlans {
  const { scopes } = deps;
  const plans = new WeakMap<GraphQLSchema, CachePlan>();
  let latestPlan: CachePlan | undefined;
  // Distinct schemas instrumented so far: with more than one, an unnamed storedResponse() cannot know whose it is.
  let instrumentedSchemas = 0;

  // Async, as the cached resolver is: a mutation's cached field settles on the same tick as before instrumentation moved here.
  const resolveInMutation = async (call: FieldCall): Promise<unknown> => deps.resolveInMutation(call);

  function wrap(cachePlan: CachePlan, plan: FieldPlan, original: Resolver | undefined): WrappedResolver {
    const resolve: Resolver = original ?? defaultFieldResolver;
    const wrapped: WrappedResolver =
      plan.mode === 'cache'
        ? (source, args, context, info) =>
            // A write's operation reads nothing from the cache and stores nothing (namespaced mutations resolve below the root).
            info.operation.operation === 'mutation'
              ? resolveInMutation({ cachePlan, plan, resolve, source, args, context, info })
              : deps.resolveCached({ cachePlan, plan, resolve, source, args, context, info })
        : (source, args, context, info) =>
            // A field below the mutation root may also be read by a query: only a mutation operation makes it a write.
            info.operation.operation === 'mutation'
              ? deps.resolveMutation({ cachePlan, plan, resolve, source, args, context, info })
              : resolve(source, args, context, info);
    wrapped[ORIGINAL_RESOLVER] = original;
    return wrapped;
  }

  /** Replaces a field's resolver by `wrapper(original resolver)`, unwrapping a previous instrumentation first. */
  function rewrap(schema: GraphQLSchema, coordinate: string, wrapper: (resolve: Resolver) => Resolver): void {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const field = (schema.getType(typeName) as { getFields(): FieldMap }).getFields()[fieldName]!;
    const original = originalOf(field.resolve);
    const wrapped: WrappedResolver = wrapper(original ?? defaultFieldResolver);
    wrapped[ORIGINAL_RESOLVER] = original;
    field.resolve = wrapped;
  }

  function instrument(schema: GraphQLSchema): CachePlan {
    const existing = plans.get(schema);
    if (existing) return existing;
    const directives = assertValidCacheDirectives(schema, { hasSessionId: deps.hasSessionId });
    const built = buildCachePlan(schema, directives);
    // The version enters keys through the schema hash every key carries.
    const cachePlan: CachePlan = deps.version === undefined ? built : { ...built, schemaHash: versionedSchemaHash(built.schemaHash, deps.version) };
    // Inheriting scalar fields with @cacheTag templates report their tags, for the operation tier.
    // Their own resolvers are wrapped too: the operation tier stores their results, so in a server that does not
    // read dynamic hints (RequestScope.refuseHints) they must refuse them, as cached resolvers do.
    for (const [coordinate, templates] of cachePlan.inheritingFields) {
      if (templates.length === 0 && !cachePlan.resolverFields.has(coordinate)) continue;
      const refusalKey = { coordinate };
      rewrap(schema, coordinate, (resolve) => (source, args, context, info) => {
        const scope = scopes.find(context);
        if (scope?.refuseHints) refuseDynamicHints(info, refusalKey);
        if (scope?.tags) {
          for (const template of templates) {
            const filled = fillTagTemplate(template, { $args: args, $parent: source });
            if (filled.ok) {
              scope.addTags(filled.tags);
              continue;
            }
            // The response is not stored without the tag (markBypassed); a missing value is reported as on cached fields.
            scope.markBypassed();
            if (filled.reason === 'missing') {
              deps.failures.failed(
                new CacheTagError(
                  'TEMPLATE_VALUE_MISSING',
                  `${coordinate}: @cacheTag(format: "${template.format}") ${describeUnfilled(filled)} in this request, so the response cannot be tagged soundly.`,
                ),
                `Tagging ${coordinate} with "${template.format}"`,
              );
            }
          }
        }
        return resolve(source, args, context, info);
      });
    }
    // Non-cached PRIVATE fields mark their path, so the cached fields below them are keyed by session.
    for (const coordinate of cachePlan.privateFields) {
      if (cachePlan.fields.has(coordinate)) continue;
      const [typeName, fieldName] = coordinate.split('.') as [string, string];
      const field = (schema.getType(typeName) as { getFields(): FieldMap }).getFields()[fieldName]!;
      if (isLeafType(getNamedType(field.type))) continue;
      rewrap(schema, coordinate, (resolve) => (source, args, context, info) => {
        if (context !== null && typeof context === 'object') markPrivate(scopes.of(context), info.path);
        return resolve(source, args, context, info);
      });
    }
    for (const plan of cachePlan.fields.values()) {
      const type = schema.getType(plan.typeName) as { getFields(): FieldMap };
      const field = type.getFields()[plan.fieldName]!;
      const original = originalOf(field.resolve);
      // Caching a property read would cost a lookup and save nothing: only real resolvers are wrapped.
      if (plan.mode === 'cache' && original === undefined && plan.invalidates.length === 0) continue;
      field.resolve = wrap(cachePlan, plan, original);
    }
    // In a Federation subgraph, each entity of an `_entities` request is cached as its own entry.
    instrumentEntityResolution(cachePlan, deps.resolveCached);
    plans.set(schema, cachePlan);
    latestPlan = cachePlan;
    instrumentedSchemas++;
    return cachePlan;
  }

  return {
    instrument,
    planOf: (schema) => plans.get(schema),
    latest: () => latestPlan,
    count: () => instrumentedSchemas,
  };
}

/** The user's resolver behind a field's current one (itself when it is not ours). */
function originalOf(current: WrappedResolver | undefined): Resolver | undefined {
  return current && ORIGINAL_RESOLVER in current ? current[ORIGINAL_RESOLVER] : current;
}

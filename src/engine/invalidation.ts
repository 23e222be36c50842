/**
 * Invalidation: the user's `invalidate()` and `invalidateEntities()`, and a mutation field's invalidation, awaited
 * inside its resolver so the response is sent only once the store acknowledged it.
 */
import { isObjectType } from 'graphql';
import { CacheTagError, invalidOption, isUnacknowledgedInvalidation } from '../errors.js';
import { asUnacknowledged } from './unacknowledged.js';
import type { Store } from '../stores/types.js';
import { assertValidTag } from '../tags/hierarchy.js';
import { addEntityTags, entityIdentity } from '../tags/derive.js';
import { invalidationChannel, type CacheStats } from '../metrics/events.js';
import type { CachePlan } from './plan.js';
import type { RequestScopes } from './requestScopes.js';
import type { Failures } from './failures.js';
import type { ReportField } from './fieldReport.js';
import { addListTagsOf } from './listTagsOf.js';
import { mutationTags } from './mutationTags.js';
import { runResolver, type FieldCall } from './fieldCall.js';

/** An entity changed outside GraphQL: its typename, key fields, and the fields its lists filter by. */
export interface EntityRef {
  readonly __typename: string;
  readonly [field: string]: unknown;
}

export interface InvalidationDeps {
  readonly store: Store;
  readonly stats: CacheStats;
  readonly failures: Failures;
  readonly scopes: RequestScopes;
  readonly report: ReportField;
  /** The most recently instrumented schema's plan, which `invalidateEntities()` reads entities with. */
  readonly latestPlan: () => CachePlan | undefined;
  /** Hears each invalidation the store acknowledged (the `onInvalidate` deliveries). */
  readonly acknowledged: (event: { tags: readonly string[]; source: 'mutation' | 'api'; coordinate?: string }) => void;
}

/** Receives a request's mutation invalidations instead of the store; see {@link Cache.deferInvalidations}. */
export type InvalidationSink = (tags: readonly string[]) => Promise<void>;

export interface Invalidation {
  /** Routes the invalidations of the mutations run with `context` to `sink` (undefined: back to the store). */
  deferInvalidations(context: object, sink: InvalidationSink | undefined): void;
  invalidate(tags: string | readonly string[]): Promise<void>;
  invalidateEntities(entities: readonly EntityRef[]): Promise<void>;
  /** Runs a mutation field's resolver, then invalidates what it wrote (also when it threw). */
  resolveMutation(call: FieldCall): Promise<unknown>;
  /** A cached field resolved inside a mutation operation: reported as a bypass, and a write when the plan says so. */
  resolveInMutation(call: FieldCall): unknown;
}

export function createInvalidation(deps: InvalidationDeps): Invalidation {
  const { store, stats, failures, scopes, report, latestPlan, acknowledged } = deps;

  const sinks = new WeakMap<object, InvalidationSink>();

  async function invalidateTags(tags: readonly string[], source: 'mutation' | 'api', coordinate?: string): Promise<void> {
    if (tags.length === 0) return;
    try {
      await store.invalidate(tags);
    } catch (error) {
      stats.unacknowledgedInvalidations++;
      throw asUnacknowledged(error, tags);
    }
    stats.invalidations++;
    stats.invalidatedTags += tags.length;
    if (invalidationChannel.hasSubscribers) invalidationChannel.publish({ tags, source, ...(coordinate ? { coordinate } : {}) });
    acknowledged({ tags, source, ...(coordinate ? { coordinate } : {}) });
  }

  async function invalidateForMutation(call: FieldCall, result: { value: unknown } | undefined): Promise<void> {
    const tags = await mutationTags(failures, call, result);
    if (tags.length === 0) return;
    const scope = scopes.find(call.context);
    for (const tag of tags) scope?.invalidated.add(tag);
    const sink = call.context !== null && typeof call.context === 'object' ? sinks.get(call.context) : undefined;
    // Deferred to the request's transaction: its failure is the write's (the mutation field fails), not the cache's.
    if (sink) return sink(tags);
    try {
      await invalidateTags(tags, 'mutation', call.plan.coordinate);
    } catch (error) {
      // The write happened: the response keeps its data and says which tags other processes may still serve.
      if (isUnacknowledgedInvalidation(error)) for (const tag of error.tags) scope?.unacknowledged.add(tag);
      failures.failed(error, `Invalidating after ${call.plan.coordinate}`);
    }
  }

  async function resolveMutation(call: FieldCall): Promise<unknown> {
    let value: unknown;
    try {
      value = await runResolver(call);
    } catch (error) {
      // A failed mutation may still have written: invalidate what its arguments alone name.
      await invalidateForMutation(call, undefined);
      throw error;
    }
    await invalidateForMutation(call, value instanceof Error ? undefined : { value });
    return value;
  }

  return {
    async invalidate(tags) {
      const list = typeof tags === 'string' ? [tags] : [...tags];
      list.forEach((tag) => assertValidTag(tag));
      await invalidateTags([...new Set(list)], 'api');
    },
    async invalidateEntities(entities) {
      const cachePlan = latestPlan();
      if (!cachePlan)
        throw new CacheTagError(
          'INVALID_OPTION',
          'invalidateEntities() needs an instrumented schema: start the Apollo plugin or call cache.instrumentSchema(schema) first.',
        );
      const tags = new Set<string>();
      for (const entity of entities) {
        const type = entity && typeof entity === 'object' ? cachePlan.schema.getType(String(entity.__typename)) : undefined;
        const typeInfo = type ? cachePlan.types.get(type.name) : undefined;
        const identity = entityIdentity(typeInfo, entity);
        if (!isObjectType(type) || !typeInfo || !identity) {
          throw new CacheTagError(
            'INVALID_TAG',
            `invalidateEntities(): ${JSON.stringify(entity)} is not an entity of the schema; expected an object with the __typename of an object type with key fields, and those key fields.`,
          );
        }
        addEntityTags(typeInfo, identity, tags);
        addListTagsOf(failures, cachePlan, type, entity, tags, 'invalidateEntities()');
      }
      await invalidateTags([...tags], 'api');
    },
    deferInvalidations(context, sink) {
      if (sink === undefined) sinks.delete(context);
      else if (typeof sink === 'function') sinks.set(context, sink);
      else throw invalidOption('deferInvalidations', 'sink', 'a function (tags) => Promise<void>, or undefined', sink);
    },
    resolveMutation,
    resolveInMutation(call) {
      report(scopes.of(call.context), call, { coordinate: call.plan.coordinate, outcome: 'bypass', reason: 'mutation' });
      return call.plan.invalidatesInMutation ? resolveMutation(call) : runResolver(call);
    },
  };
}

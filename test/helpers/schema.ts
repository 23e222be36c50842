/** Builds a schema from SDL + resolvers and runs operations on it without any server: the engine alone. */
import assert from 'node:assert/strict';
import { execute, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { cacheDirectivesTypeDefs, createCache, createMemoryStore, type Cache, type CacheOptions } from '../../src/index.js';
import { countingStore } from './countingStore.js';

export interface EngineHarness {
  schema: GraphQLSchema;
  cache: Cache;
  store: ReturnType<typeof countingStore>;
  warnings: string[];
  run(query: string, context?: object, variables?: Record<string, unknown>): Promise<ExecutionResult>;
}

export function buildSchema(typeDefs: string, resolvers: Parameters<typeof makeExecutableSchema>[0]['resolvers']): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: [cacheDirectivesTypeDefs, typeDefs], resolvers });
}

export function createHarness(typeDefs: string, resolvers: Parameters<typeof buildSchema>[1], options: Partial<CacheOptions> = {}): EngineHarness {
  const schema = buildSchema(typeDefs, resolvers);
  const store = countingStore(createMemoryStore());
  const warnings: string[] = [];
  const cache = createCache({ store, strict: true, logger: { warn: (m) => warnings.push(m) }, ...options });
  cache.instrumentSchema(schema);
  return {
    schema,
    cache,
    store,
    warnings,
    async run(query, context = {}, variables) {
      const result = await execute({ schema, document: parse(query), contextValue: context, variableValues: variables ?? null });
      await cache.idle();
      return result;
    },
  };
}

export function assertNoErrors(result: ExecutionResult): void {
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
}

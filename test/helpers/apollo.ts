/** A small schema served by a real Apollo Server 5 with the cachetag plugin (default options unless given), for regression tests. */
import assert from 'node:assert/strict';
import { ApolloServer } from '@apollo/server';
import type { IResolvers } from '@graphql-tools/utils';
import { cacheDirectivesTypeDefs, createCache, createMemoryStore, type Cache, type CacheOptions, type Store } from '../../src/index.js';
import { createApolloPlugin, type ApolloPluginOptions } from '../../src/apollo/index.js';
import { countingStore } from './countingStore.js';
import type { RunResult } from './shop.js';

export interface ApolloHarness {
  apollo: ApolloServer;
  cache: Cache;
  store: ReturnType<typeof countingStore>;
  warnings: string[];
  /** Runs an operation and waits for the fills it queued; fails on GraphQL errors unless `allowErrors`. */
  run(
    query: string,
    variables?: Record<string, unknown>,
    options?: { allowErrors?: boolean; context?: object },
  ): Promise<RunResult & { headers: Map<string, string> }>;
  stop(): Promise<void>;
}

export async function createApolloHarness(
  typeDefs: string,
  resolvers: IResolvers,
  options: { cache?: Partial<CacheOptions>; plugin?: ApolloPluginOptions; store?: Store } = {},
): Promise<ApolloHarness> {
  const store = countingStore(options.store ?? createMemoryStore());
  const warnings: string[] = [];
  const cache = createCache({ store, logger: { warn: (m) => warnings.push(m) }, ...options.cache });
  const apollo = new ApolloServer({ typeDefs: [cacheDirectivesTypeDefs, typeDefs], resolvers, plugins: [createApolloPlugin(cache, options.plugin)] });
  await apollo.start();
  return {
    apollo,
    cache,
    store,
    warnings,
    async run(query, variables, runOptions = {}) {
      const response = await apollo.executeOperation({ query, ...(variables ? { variables } : {}) }, { contextValue: runOptions.context ?? {} });
      assert.equal(response.body.kind, 'single');
      // As a client sees it (plain objects, not graphql-js's null-prototype ones), so deepEqual compares values.
      const result = JSON.parse(JSON.stringify((response.body as { singleResult: RunResult }).singleResult)) as RunResult;
      if (!runOptions.allowErrors) assert.equal(result.errors, undefined, `unexpected GraphQL errors: ${JSON.stringify(result.errors)}`);
      await cache.idle();
      return { ...result, headers: new Map(response.http.headers) };
    },
    async stop() {
      // The store is the caller's to close when it brought one (a Redis store closed by its test's cleanup).
      await apollo.stop();
      if (options.store) await cache.idle();
      else await cache.close();
    },
  };
}

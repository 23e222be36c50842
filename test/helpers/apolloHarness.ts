/** A real Apollo Server 5 with the cachetag plugin on default options, run in-process (`executeOperation`). */
import assert from 'node:assert/strict';
import { ApolloServer } from '@apollo/server';
import type { IResolvers } from '@graphql-tools/utils';
import { cacheDirectivesTypeDefs, createCache, createMemoryStore, type Cache, type CacheOptions } from '../../src/index.js';
import { createApolloPlugin, type ApolloPluginOptions } from '../../src/apollo/index.js';

export interface ApolloHarness {
  readonly cache: Cache;
  readonly apollo: ApolloServer;
  readonly warnings: string[];
  /** Runs one operation; GraphQL errors are returned, not thrown. */
  run(query: string, variables?: Record<string, unknown>): Promise<{ data?: Record<string, unknown> | null; errors?: readonly { message: string }[] }>;
  stop(): Promise<void>;
}

export async function startApollo(
  typeDefs: string,
  resolvers: IResolvers,
  options: { cache?: Partial<CacheOptions>; plugin?: ApolloPluginOptions } = {},
): Promise<ApolloHarness> {
  const warnings: string[] = [];
  const cache = createCache({ store: createMemoryStore(), logger: { warn: (m) => warnings.push(m) }, ...options.cache });
  const apollo = new ApolloServer({ typeDefs: [cacheDirectivesTypeDefs, typeDefs], resolvers, plugins: [createApolloPlugin(cache, options.plugin)] });
  await apollo.start();
  return {
    cache,
    apollo,
    warnings,
    async run(query, variables) {
      const response = await apollo.executeOperation({ query, ...(variables ? { variables } : {}) }, { contextValue: {} });
      assert.equal(response.body.kind, 'single');
      const result = (response.body as { singleResult: { data?: Record<string, unknown> | null; errors?: readonly { message: string }[] } }).singleResult;
      return JSON.parse(JSON.stringify(result)) as typeof result;
    },
    async stop() {
      await apollo.stop();
      await cache.close();
    },
  };
}

/** A promise with its resolve function: resolvers wait on it, so a test decides when they return (no sleeps). */
export function gate<T = void>(): { promise: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

/** Waits (yielding to I/O and timers each turn) until `condition` holds; fails after `turns` turns. */
export async function until(condition: () => boolean, turns = 10_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  assert.fail('the condition never held');
}

/** A Federation subgraph (built with @apollo/subgraph's buildSubgraphSchema) served by Apollo Server 5 with the cachetag plugin, for tests. */
import assert from 'node:assert/strict';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createCache, createMemoryStore, type Cache, type CacheOptions, type Store } from '../../src/index.js';
import { createApolloPlugin, type ApolloPluginOptions } from '../../src/apollo/index.js';
import { countingStore } from './countingStore.js';

/** The cache directive declarations a subgraph adds to its SDL (Federation brings @key and @cacheTag through @link). */
export const subgraphCacheControlTypeDefs = /* GraphQL */ `
  enum CacheControlScope {
    PUBLIC
    PRIVATE
  }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
`;

/** A resolver map as buildSubgraphSchema takes it (`__resolveReference` included). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- resolver maps are loosely typed by design
export type Resolvers = Record<string, Record<string, any>>;

/** A GraphQL response as a client reads it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary response shapes
export type Json = any;

export interface SubgraphHarness {
  apollo: ApolloServer;
  cache: Cache;
  store: ReturnType<typeof countingStore>;
  warnings: string[];
  /** The URL of the HTTP server, when started with `listen`. */
  url?: string;
  /** Runs an operation and waits for the fills it queued. */
  run(query: string, variables?: Record<string, unknown>, options?: { context?: object }): Promise<{ data?: Json; errors?: Json[] }>;
  stop(): Promise<void>;
}

export async function createSubgraphHarness(
  typeDefs: string,
  resolvers: Resolvers,
  options: { cache?: Partial<CacheOptions>; plugin?: ApolloPluginOptions; store?: Store; listen?: boolean; context?: (req: unknown) => object } = {},
): Promise<SubgraphHarness> {
  const store = countingStore(options.store ?? createMemoryStore());
  const warnings: string[] = [];
  const cache = createCache({ store, logger: { warn: (m) => warnings.push(m) }, ...options.cache });
  const schema = buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers });
  const apollo = new ApolloServer({ schema, plugins: [createApolloPlugin(cache, options.plugin), ApolloServerPluginInlineTraceDisabled()] });
  let url: string | undefined;
  if (options.listen) {
    ({ url } = await startStandaloneServer(apollo, {
      listen: { port: 0, host: '127.0.0.1' },
      context: async ({ req }) => options.context?.(req) ?? {},
    }));
  } else {
    await apollo.start();
  }
  return {
    apollo,
    cache,
    store,
    warnings,
    ...(url ? { url } : {}),
    async run(query, variables, runOptions = {}) {
      const response = await apollo.executeOperation({ query, ...(variables ? { variables } : {}) }, { contextValue: runOptions.context ?? {} });
      assert.equal(response.body.kind, 'single');
      const result = JSON.parse(JSON.stringify((response.body as { singleResult: unknown }).singleResult)) as { data?: Json; errors?: Json[] };
      await cache.idle();
      return result;
    },
    async stop() {
      await apollo.stop();
      if (options.store) await cache.idle();
      else await cache.close();
    },
  };
}

/** The `_entities` query the router sends to resolve representations. */
export const entitiesQuery = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on Product {
        id
        sku
        name
        price
      }
    }
  }
`;

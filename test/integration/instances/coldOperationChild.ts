/**
 * One server process of operationLeases.test.ts: per round, a real Apollo Server with the cachetag plugin (operation
 * tier on) on the shared Redis, leases on or off; on "go" it runs `concurrency` identical queries at once and reports
 * how many executed (operation-tier misses) and how many were answered from a stored response (hits).
 */
import { ApolloServer } from '@apollo/server';
import { cacheDirectivesTypeDefs, createCache } from '../../../src/index.js';
import { createApolloPlugin } from '../../../src/apollo/index.js';
import { serveRounds } from './childStore.js';

// Long enough for a holder slowed by a loaded machine: a takeover would run the operation twice.
await serveRounds(10_000, async (store, { concurrency }) => {
  const warnings: string[] = [];
  const cache = createCache({ store, logger: { warn: (m) => warnings.push(m) } });
  const apollo = new ApolloServer({
    typeDefs: [cacheDirectivesTypeDefs, `type Query { org(id: ID!): Org @cacheControl(maxAge: 60) } type Org @cacheKey(fields: "id") { id: ID! name: String }`],
    resolvers: {
      Query: {
        org: async (_: unknown, { id }: { id: string }) => {
          await new Promise((resolve) => setTimeout(resolve, 100));
          return { id, name: `org ${id}` };
        },
      },
    },
    plugins: [createApolloPlugin(cache, { operationCache: true })],
  });
  await apollo.start();
  return {
    async run() {
      const results = await Promise.all(
        Array.from({ length: concurrency }, async () => {
          const response = await apollo.executeOperation({ query: '{ org(id: "1") { id name } }' }, { contextValue: {} });
          return (response.body as { singleResult: { data?: { org?: { name?: string } }; errors?: unknown } }).singleResult;
        }),
      );
      const wrong = results.filter((r) => r.errors !== undefined || r.data?.org?.name !== 'org 1').length;
      await cache.idle();
      const stats = cache.stats();
      return { runs: stats.operationMisses, hits: stats.operationHits, bypasses: stats.operationBypasses, wrong, warnings };
    },
    close: () => apollo.stop(),
  };
});

/**
 * One server process of operationLeases.test.ts: a real Apollo Server with the cachetag plugin (operation tier on) on
 * the shared Redis, leases on or off; on "go" it runs `concurrency` identical queries at once and reports how many
 * executed (operation-tier misses) and how many were answered from a stored response (hits).
 * argv: port prefix leases(0|1) local(none|strict|fast) concurrency
 */
import { createInterface } from 'node:readline';
import { ApolloServer } from '@apollo/server';
import { cacheDirectivesTypeDefs, createCache } from '../../../src/index.js';
import { createApolloPlugin } from '../../../src/apollo/index.js';
import { openChildStore } from './childStore.js';

// Long enough for a holder slowed by a loaded machine: a takeover would run the operation twice.
const { store, concurrency } = await openChildStore(10_000);
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

const say = (message: object): void => void process.stdout.write(`${JSON.stringify(message)}\n`);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
say({ event: 'ready' });
while ((await lines.next()).value !== 'go');
const results = await Promise.all(
  Array.from({ length: concurrency }, async () => {
    const response = await apollo.executeOperation({ query: '{ org(id: "1") { id name } }' }, { contextValue: {} });
    return (response.body as { singleResult: { data?: { org?: { name?: string } }; errors?: unknown } }).singleResult;
  }),
);
const wrong = results.filter((r) => r.errors !== undefined || r.data?.org?.name !== 'org 1').length;
await cache.idle();
const stats = cache.stats();
say({ event: 'done', runs: stats.operationMisses, hits: stats.operationHits, bypasses: stats.operationBypasses, wrong, warnings });
await apollo.stop();
await store.close();
process.exit(0);

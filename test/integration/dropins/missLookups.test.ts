/**
 * Set up without a `context` option (Apollo's default empty context), the Express and Fastify drop-ins still hand
 * their miss to Apollo: a request the fast path looked up and did not find is looked up once, not once more by
 * Apollo's operation tier; the fill it leaves answers the next request from the fast path.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test, type TestContext } from 'node:test';
import express from 'express';
import Fastify from 'fastify';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import { cacheDirectivesTypeDefs, createCache, createMemoryStore } from '../../../src/index.js';
import { createApolloPlugin } from '../../../src/apollo/plugin.js';
import { cacheTagMiddleware } from '../../../src/express/index.js';
import { cacheTagHook } from '../../../src/fastify/index.js';
import { countingStore } from '../../helpers/countingStore.js';
import { listenOnLoopback } from '../../helpers/dropinPair.js';

const typeDefs = /* GraphQL */ `
  type Query {
    product(id: ID!): Product
  }
  type Product @cacheControl(maxAge: 60) {
    id: ID!
    name: String!
  }
`;

/** A context type of the app's own, whose fields are all optional: the drop-in's empty default context is one. */
interface AppContext {
  readonly traceId?: string;
}

/** An Apollo server whose resolvers need no context, its plugin, and a store that counts its calls. */
function setUp(t: TestContext) {
  const store = countingStore(createMemoryStore());
  const cache = createCache({ store });
  const plugin = createApolloPlugin<AppContext>(cache);
  const resolved = { count: 0 };
  const apollo = new ApolloServer<AppContext>({
    typeDefs: [cacheDirectivesTypeDefs, typeDefs],
    resolvers: {
      Query: {
        product: (_: unknown, { id }: { id: string }) => {
          resolved.count++;
          return { id, name: `Product ${id}` };
        },
      },
    },
    plugins: [plugin],
  });
  t.after(() => cache.close());
  const operationReads = () => store.calls.get.filter((keys) => keys.some((key) => key.startsWith('op:'))).length;
  return { cache, plugin, apollo, resolved, operationReads };
}

async function missThenHit(url: string, setup: ReturnType<typeof setUp>): Promise<void> {
  const body = JSON.stringify({ query: 'query Page($id: ID!) { product(id: $id) { id name } }', variables: { id: '7' } });
  const post = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const miss = await post();
  assert.equal(miss.status, 200);
  const answer = await miss.text();
  assert.deepEqual(JSON.parse(answer), { data: { product: { id: '7', name: 'Product 7' } } });
  assert.equal(setup.operationReads(), 1, 'the fast path looked the request up once; Apollo took over its miss');
  await setup.cache.idle();
  const hit = await post();
  assert.equal(await hit.text(), answer);
  assert.equal(setup.operationReads(), 2, 'the hit: one read, at the fast path');
  assert.equal(setup.resolved.count, 1, 'the second request was answered from the stored response');
}

test('Express without a context option: a miss of the fast path is not looked up again by Apollo', async (t) => {
  const setup = setUp(t);
  await setup.apollo.start();
  const app = express();
  const fastPath = cacheTagMiddleware<AppContext>(setup.plugin, { server: setup.apollo, path: '/graphql' });
  app.use(fastPath);
  app.use('/graphql', express.json(), expressMiddleware(setup.apollo, { context: fastPath.context }));
  const server = createServer(app);
  const url = await listenOnLoopback(server);
  t.after(async () => {
    server.close();
    await setup.apollo.stop();
  });
  await missThenHit(url, setup);
});

test('Fastify without a context option: a miss of the fast path is not looked up again by Apollo', async (t) => {
  const setup = setUp(t);
  const fastify = Fastify();
  setup.apollo.addPlugin(fastifyApolloDrainPlugin(fastify));
  await setup.apollo.start();
  const hook = cacheTagHook<AppContext>(setup.plugin, { server: setup.apollo });
  fastify.addHook('preHandler', hook);
  await fastify.register(fastifyApollo(setup.apollo), { context: hook.context });
  const address = await fastify.listen({ port: 0, host: '127.0.0.1' });
  t.after(async () => {
    await fastify.close();
    await setup.apollo.stop();
  });
  await missThenHit(`${address}/graphql`, setup);
});

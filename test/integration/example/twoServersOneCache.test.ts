/**
 * Two Apollo servers with different schemas (a public API that hides drafts, an admin API that shows them) share one
 * cache, each with the HTTP fast path in front: each fast path answers only its own server's stored responses.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { cacheDirectivesTypeDefs, createCache, type Cache } from '../../../src/index.js';
import { createApolloPlugin, type CacheTagApolloPlugin } from '../../../src/apollo/index.js';

const products = [
  { id: '1', name: 'Lamp', draft: false },
  { id: '2', name: 'Secret sofa', draft: true },
];

const typeDefs = (extra: string) => /* GraphQL */ `
  type Query {
    products: [Product!]! @cacheControl(maxAge: 60)
  }
  type Product @cacheControl(maxAge: 60) {
    id: ID!
    name: String!
    ${extra}
  }
`;

interface Endpoint {
  url: string;
  executions: number;
  fastPathAnswers: number;
  server: Server;
  apollo: ApolloServer;
  schema: GraphQLSchema;
}

let cache: Cache;
let publicApi: Endpoint;
let adminApi: Endpoint;

async function endpoint(
  sdl: string,
  showDrafts: boolean,
  fastPath: (plugin: CacheTagApolloPlugin, body: unknown, schema: GraphQLSchema) => ReturnType<Cache['storedResponse']>,
) {
  const plugin = createApolloPlugin(cache);
  const self = { executions: 0, fastPathAnswers: 0 } as Endpoint;
  const schema = makeExecutableSchema({
    typeDefs: [cacheDirectivesTypeDefs, sdl],
    resolvers: { Query: { products: () => (self.executions++, products.filter((p) => showDrafts || !p.draft)) } },
  });
  const apollo = new ApolloServer({ schema, plugins: [plugin] });
  await apollo.start();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const stored = await fastPath(plugin, body, schema);
        if (stored) {
          self.fastPathAnswers++;
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
          res.end(stored.bytes);
          return;
        }
        const headers = new HeaderMap();
        for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(key, value);
        const response = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: 'POST', headers, search: '', body },
          context: async () => ({}),
        });
        res.writeHead(response.status ?? 200, Object.fromEntries(response.headers));
        res.end(response.body.kind === 'complete' ? response.body.string : '');
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  Object.assign(self, { server, apollo, schema, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` });
  return self;
}

async function post(api: Endpoint, query: string) {
  const response = await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data: { products: { id: string; name: string }[] } };
  await cache.idle();
  return body.data.products.map((p) => p.name);
}

before(async () => {
  cache = createCache({ strict: true });
  publicApi = await endpoint(typeDefs(''), false, (plugin, body) => plugin.storedResponse(body as { query: string }));
  // The admin API names its schema to the cache-wide method, the public one asks its plugin: both are supported.
  adminApi = await endpoint(typeDefs('draft: Boolean!'), true, (_plugin, body, schema) =>
    cache.storedResponse(body as { query: string }, undefined, { schema }),
  );
});
after(async () => {
  for (const api of [publicApi, adminApi]) {
    await new Promise<void>((resolve) => api.server.close(() => resolve()));
    await api.apollo.stop();
  }
  await cache.close();
});

const query = `{ products { id name } }`;

test("each server's fast path answers its own stored responses, never the other server's", async () => {
  assert.deepEqual(await post(adminApi, query), ['Lamp', 'Secret sofa']);
  assert.deepEqual(await post(publicApi, query), ['Lamp'], "the public API must not be answered with the admin's drafts");
  assert.deepEqual(await post(publicApi, query), ['Lamp']);
  assert.deepEqual(await post(adminApi, query), ['Lamp', 'Secret sofa']);
  assert.equal(publicApi.executions, 1, "the public server's repeat is answered from its own stored response");
  assert.equal(adminApi.executions, 1);
  assert.equal(publicApi.fastPathAnswers, 1);
  assert.equal(adminApi.fastPathAnswers, 1);
});

test('the cache-wide storedResponse() refuses to guess between several schemas, and answers for a named one', async () => {
  assert.equal(await cache.storedResponse({ query }), undefined);
  const named = await cache.storedResponse({ query }, undefined, { schema: publicApi.schema });
  assert.deepEqual(
    (JSON.parse(named!.body) as { data: { products: { name: string }[] } }).data.products.map((p) => p.name),
    ['Lamp'],
  );
});

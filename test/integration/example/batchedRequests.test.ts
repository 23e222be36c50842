/**
 * Batched HTTP requests (`allowBatchedHttpRequests: true`) over real HTTP: the Cache-Control header is narrowed over
 * every operation of the batch as Apollo narrows it (public and private give private; an operation with errors gives
 * no-store), the tags header lists the tags of every operation, and each operation gets its own answer.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { cacheDirectivesTypeDefs, createCache, type Cache } from '../../../src/index.js';
import { createApolloPlugin } from '../../../src/apollo/index.js';

const typeDefs = /* GraphQL */ `
  type Query {
    product(id: ID!): Product @cacheControl(maxAge: 60)
    me: User @cacheControl(maxAge: 60, scope: PRIVATE)
    broken: Product @cacheControl(maxAge: 60)
  }
  type Product @cacheControl(maxAge: 60) {
    id: ID!
    name: String!
  }
  type User @cacheControl(maxAge: 60, scope: PRIVATE) {
    email: String!
  }
`;

interface Context {
  user?: string;
}

interface Endpoint {
  url: string;
  server: Server;
  apollo: ApolloServer<Context>;
  cache: Cache;
}

async function endpoint(cacheControl: 'apollo' | 'cachetag'): Promise<Endpoint> {
  const cache = createCache({ strict: true, sessionId: (context) => (context as Context).user });
  const apollo = new ApolloServer<Context>({
    typeDefs: [cacheDirectivesTypeDefs, typeDefs],
    resolvers: {
      Query: {
        product: (_: unknown, { id }: { id: string }) => ({ id, name: `Product ${id}` }),
        me: (_: unknown, __: unknown, context: Context) => (context.user ? { email: `${context.user}@example.com` } : null),
        broken: () => {
          throw new Error('out of stock');
        },
      },
    },
    allowBatchedHttpRequests: true,
    // The fast configuration: cachetag computes Cache-Control, Apollo's per-field plugin is off.
    plugins: [
      createApolloPlugin(cache, { cacheControl, tagsHeader: 'Surrogate-Key' }),
      ...(cacheControl === 'cachetag' ? [ApolloServerPluginCacheControlDisabled()] : []),
    ],
  });
  await apollo.start();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const headers = new HeaderMap();
        for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(key, value);
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const user = headers.get('x-user');
        const response = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: 'POST', headers, search: '', body },
          context: async () => (user ? { user } : {}),
        });
        res.writeHead(response.status ?? 200, Object.fromEntries(response.headers));
        res.end(response.body.kind === 'complete' ? response.body.string : '');
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, apollo, cache, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` };
}

const endpoints: Partial<Record<'apollo' | 'cachetag', Endpoint>> = {};
before(async () => {
  endpoints.apollo = await endpoint('apollo');
  endpoints.cachetag = await endpoint('cachetag');
});
after(async () => {
  for (const api of Object.values(endpoints)) {
    await new Promise<void>((resolve) => api.server.close(() => resolve()));
    await api.apollo.stop();
    await api.cache.close();
  }
});

async function batch(api: Endpoint, queries: string[], headers: Record<string, string> = {}) {
  const response = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(queries.map((query) => ({ query }))),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] }[];
  await api.cache.idle();
  return { cacheControl: response.headers.get('cache-control'), tags: response.headers.get('surrogate-key'), body };
}

for (const mode of ['cachetag', 'apollo'] as const) {
  test(`cacheControl: '${mode}': a batch of a public and a PRIVATE operation is private, in either order`, async () => {
    const api = endpoints[mode]!;
    for (let round = 0; round < 2; round++) {
      const forward = await batch(api, [`{ product(id: "1") { name } }`, `{ me { email } }`], { 'x-user': 'alice' });
      assert.equal(forward.cacheControl, 'max-age=60, private', `round ${round}`);
      assert.deepEqual(forward.body[1]!.data, { me: { email: 'alice@example.com' } });
      const backward = await batch(api, [`{ me { email } }`, `{ product(id: "1") { name } }`], { 'x-user': 'alice' });
      assert.equal(backward.cacheControl, 'max-age=60, private', `round ${round}`);
    }
  });

  test(`cacheControl: '${mode}': a batch with a failed operation is not stored by caches`, async () => {
    const api = endpoints[mode]!;
    for (let round = 0; round < 2; round++) {
      const result = await batch(api, [`{ product(id: "1") { name } }`, `{ broken { name } }`]);
      assert.equal(result.cacheControl, 'no-store', `round ${round}`);
      assert.ok(result.body[1]!.errors);
    }
  });

  test(`cacheControl: '${mode}': the tags header lists the tags of every operation, and each gets its own answer`, async () => {
    const api = endpoints[mode]!;
    for (let round = 0; round < 3; round++) {
      const result = await batch(api, [`{ product(id: "11") { id name } }`, `{ product(id: "12") { name id } }`, `{ product(id: "13") { name } }`]);
      assert.deepEqual(
        result.body.map((b) => b.data),
        [{ product: { id: '11', name: 'Product 11' } }, { product: { name: 'Product 12', id: '12' } }, { product: { name: 'Product 13' } }],
        `round ${round}`,
      );
      assert.deepEqual(new Set(result.tags?.split(' ')), new Set(['Product', 'Product:11', 'Product:12', 'Product:13']), `round ${round}`);
      assert.equal(result.cacheControl, 'max-age=60, public');
    }
  });
}

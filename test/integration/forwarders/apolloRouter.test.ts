/**
 * The Apollo Router forwarder, against a local endpoint implementing the router's documented invalidation contract:
 * a mutation in a subgraph invalidates the same cache tags in the router, and a rejected call never fails the mutation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apolloRouterInvalidation } from '../../../src/forwarders/index.js';
import { routerInvalidationEndpoint } from '../../helpers/purgeEndpoints.js';
import { createSubgraphHarness, subgraphCacheControlTypeDefs } from '../../helpers/subgraph.js';

const typeDefs = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.12", import: ["@key", "@cacheTag"])
  ${subgraphCacheControlTypeDefs}
  type Product @key(fields: "id") @cacheControl(maxAge: 60) @cacheTag(format: "catalog") {
    id: ID!
    price: Int!
  }
  type Query {
    product(id: ID!): Product
  }
  type Mutation {
    setPrice(id: ID!, price: Int!): Product
  }
`;

const resolvers = {
  Mutation: {
    setPrice: (_: unknown, { id, price }: { id: string; price: number }) => ({ id, price }),
  },
};

test('a subgraph mutation invalidates its tags in the router: one POST of cache_tag invalidations with the shared key', async (t) => {
  const router = await routerInvalidationEndpoint('s3cret', ['products']);
  t.after(() => router.close());
  const harness = await createSubgraphHarness(typeDefs, resolvers, {
    cache: { onInvalidate: apolloRouterInvalidation({ url: `${router.url}/invalidation`, sharedKey: 's3cret', subgraphs: ['products'] }) },
  });
  t.after(() => harness.stop());
  const result = await harness.run('mutation { setPrice(id: "2", price: 5) { id price } }');
  assert.deepEqual(result.data, { setPrice: { id: '2', price: 5 } });
  assert.deepEqual(router.requests, [{ path: '/invalidation', status: 202 }]);
  assert.deepEqual(router.calls, [['Product:2', 'catalog']]);
  assert.equal(harness.cache.stats().forwardedInvalidations, 1);
});

test('a router that refuses the key: the mutation answers, the call is retried, then dropped with a warning', async (t) => {
  const router = await routerInvalidationEndpoint('s3cret', ['products']);
  t.after(() => router.close());
  const harness = await createSubgraphHarness(typeDefs, resolvers, {
    cache: {
      onInvalidate: apolloRouterInvalidation({ url: `${router.url}/invalidation`, sharedKey: 'wrong', subgraphs: ['products'] }),
      invalidationDelivery: { maxAttempts: 2, retryDelayMs: 1 },
    },
  });
  t.after(() => harness.stop());
  const result = await harness.run('mutation { setPrice(id: "2", price: 5) { id price } }');
  assert.equal(result.errors, undefined);
  assert.deepEqual(
    router.requests.map((r) => r.status),
    [401, 401],
  );
  assert.equal(harness.cache.stats().droppedInvalidations, 1);
  assert.match(
    harness.warnings.join('\n'),
    /onInvalidate listener "apolloRouter" failed 2 times \(last: Apollo Router's invalidation endpoint \(http:\/\/127\.0\.0\.1:\d+\/invalidation\) answered HTTP 401: .*Invalid authorization header/,
  );
});

test('bad options throw at construction, naming the option', () => {
  assert.throws(
    () => apolloRouterInvalidation({ url: 'ftp://x', sharedKey: 'k', subgraphs: ['a'] }),
    /apolloRouterInvalidation: option "url" must be an http:\/\/ or https:\/\/ URL; received "ftp:\/\/x"/,
  );
  assert.throws(
    () => apolloRouterInvalidation({ url: 'http://127.0.0.1/i', sharedKey: '', subgraphs: ['a'] }),
    /option "sharedKey" must be a non-empty string/,
  );
  assert.throws(
    () => apolloRouterInvalidation({ url: 'http://127.0.0.1/i', sharedKey: 'k', subgraphs: [] }),
    /option "subgraphs" must be a non-empty array of subgraph names/,
  );
});

/**
 * An endpoint that never answers costs the mutation nothing: the mutation's response is sent at once, the forwarder's
 * calls time out (aborted), are retried, then dropped with a warning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fastlyPurge } from '../../../src/forwarders/index.js';
import { fastlyEndpoint } from '../../helpers/purgeEndpoints.js';
import { createSubgraphHarness, subgraphCacheControlTypeDefs } from '../../helpers/subgraph.js';

test('a hung purge endpoint never blocks the mutation', async (t) => {
  const fastly = await fastlyEndpoint('svc1', 'key1');
  t.after(() => fastly.close());
  fastly.failNext(2, 0);
  const harness = await createSubgraphHarness(
    /* GraphQL */ `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.12", import: ["@key"])
      ${subgraphCacheControlTypeDefs}
      type Product @key(fields: "id") @cacheControl(maxAge: 60) {
        id: ID!
      }
      type Query {
        product(id: ID!): Product
      }
      type Mutation {
        touch(id: ID!): Product
      }
    `,
    { Mutation: { touch: (_: unknown, { id }: { id: string }) => ({ id }) } },
    {
      cache: {
        onInvalidate: fastlyPurge({ serviceId: 'svc1', apiKey: 'key1', baseUrl: fastly.url }),
        // 1 s, not less: under load a shorter deadline can lapse before the endpoint has even seen the request.
        invalidationDelivery: { timeoutMs: 1000, retryDelayMs: 1, maxAttempts: 2 },
      },
    },
  );
  t.after(() => harness.stop());
  const response = await harness.apollo.executeOperation({ query: 'mutation { touch(id: "1") { id } }' }, { contextValue: {} });
  assert.equal(response.body.kind, 'single');
  // The response is already there while the first purge call is still hanging.
  assert.equal(harness.cache.stats().forwardedInvalidations + harness.cache.stats().droppedInvalidations, 0);
  await harness.cache.idle();
  assert.equal(fastly.requests.length, 2);
  assert.equal(harness.cache.stats().droppedInvalidations, 1);
  assert.match(harness.warnings.join('\n'), /"fastly" failed 2 times \(last: .*\)/);
});

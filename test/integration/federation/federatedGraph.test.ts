/**
 * A real federated graph: the products and reviews subgraphs (buildSubgraphSchema, Apollo Server 5, cachetag plugin,
 * 127.0.0.1) composed by @apollo/gateway with IntrospectAndCompose. Queries that cross both subgraphs hit in both; a
 * mutation in one subgraph invalidates what the other cached about the same entity, through a shared store or
 * through the invalidation hook.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFederatedGraph, type FederatedGraph } from '../../../schema-examples/federation/graph.js';
import { connectOrSkip } from '../../helpers/redis.js';
import { openStore } from '../redis/support.js';

const crossing = /* GraphQL */ `
  {
    topProducts {
      id
      name
      price
      reviews {
        body
      }
    }
    latestReviews {
      body
      product {
        name
        price
      }
    }
  }
`;

function snapshot(graph: FederatedGraph) {
  const { products, reviews } = graph.subgraphs;
  return {
    topProducts: products.calls.topProducts,
    resolveReference: [...products.calls.resolveReference],
    latestReviews: reviews.calls.latestReviews,
    reviewsOf: [...reviews.calls.reviewsOf],
  };
}

async function run(graph: FederatedGraph, query: string) {
  const result = await graph.query(query);
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  await graph.idle();
  return result.data as Record<string, unknown>;
}

test('a query crossing both subgraphs hits in both the second time', async (t) => {
  const graph = await startFederatedGraph();
  t.after(() => graph.stop());
  const first = await run(graph, crossing);
  assert.deepEqual(snapshot(graph), { topProducts: 1, resolveReference: ['1', '2'], latestReviews: 1, reviewsOf: ['1', '2', '3'] });
  const second = await run(graph, crossing);
  assert.deepEqual(second, first);
  assert.deepEqual(snapshot(graph), { topProducts: 1, resolveReference: ['1', '2'], latestReviews: 1, reviewsOf: ['1', '2', '3'] });
  assert.ok(graph.subgraphs.products.cache.stats().hits + graph.subgraphs.products.cache.stats().operationHits > 0);
  assert.ok(graph.subgraphs.reviews.cache.stats().hits >= 3);
});

async function priceChangeReachesReviews(graph: FederatedGraph): Promise<void> {
  await run(graph, crossing);
  const before = snapshot(graph);
  await run(graph, 'mutation { setPrice(id: "1", price: 120) { id price } }');
  const data = await run(graph, crossing);
  const after = snapshot(graph);
  assert.equal((data.topProducts as { price: number }[])[0]!.price, 120);
  assert.equal((data.latestReviews as { product: { price: number } }[])[0]!.product.price, 120);
  assert.equal(after.topProducts, before.topProducts + 1);
  // Only product 1's entity and product 1's reviews ran again, in either subgraph.
  assert.deepEqual(after.resolveReference.slice(before.resolveReference.length), ['1']);
  assert.deepEqual(after.reviewsOf.slice(before.reviewsOf.length), ['1']);
  assert.equal(after.latestReviews, before.latestReviews);
}

test('shared store: a price change in products invalidates what reviews cached about that product, and only that', async (t) => {
  const graph = await startFederatedGraph();
  t.after(() => graph.stop());
  await priceChangeReachesReviews(graph);
});

test('shared Redis store: a price change in products invalidates what reviews cached about that product', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const graph = await startFederatedGraph({ store: await openStore(t, redis) });
  t.after(() => graph.stop());
  await priceChangeReachesReviews(graph);
});

test('shared store: a review added in reviews invalidates the product everywhere and the review lists', async (t) => {
  const graph = await startFederatedGraph();
  t.after(() => graph.stop());
  await run(graph, crossing);
  const before = snapshot(graph);
  await run(graph, 'mutation { addReview(productId: "2", body: "Wobbly") { id } }');
  const data = await run(graph, crossing);
  const after = snapshot(graph);
  assert.deepEqual((data.topProducts as { reviews: { body: string }[] }[])[1]!.reviews, [{ body: 'Comfy' }, { body: 'Wobbly' }]);
  assert.equal(after.latestReviews, before.latestReviews + 1);
  assert.deepEqual(after.reviewsOf.slice(before.reviewsOf.length), ['2']);
  // Product:2 was invalidated, so the products subgraph's own entries about product 2 were refreshed too.
  assert.equal(after.topProducts, before.topProducts + 1);
  assert.deepEqual(after.resolveReference.slice(before.resolveReference.length), ['2']);
});

test('separate stores: the invalidation hook forwards each subgraph’s mutations to the other’s cache', async (t) => {
  const forward =
    (to: 'products' | 'reviews') =>
    async ({ tags, source }: { tags: readonly string[]; source: string }) => {
      // Forward what this subgraph's mutations invalidated; what arrives by forwarding is not sent back.
      if (source === 'mutation') await graph.subgraphs[to].cache.invalidate(tags);
    };
  const graph: FederatedGraph = await startFederatedGraph({
    separateStores: true,
    cache: { products: { onInvalidate: forward('reviews') }, reviews: { onInvalidate: forward('products') } },
  });
  t.after(() => graph.stop());
  await run(graph, crossing);
  const before = snapshot(graph);
  await run(graph, 'mutation { setPrice(id: "1", price: 120) { id price } }');
  await run(graph, crossing);
  const after = snapshot(graph);
  assert.deepEqual(after.reviewsOf.slice(before.reviewsOf.length), ['1']);
  assert.equal(graph.subgraphs.products.cache.stats().forwardedInvalidations, 1);
  assert.equal(graph.subgraphs.reviews.cache.stats().invalidations, 1);
});

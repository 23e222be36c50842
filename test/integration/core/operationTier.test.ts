/** The operation tier: stored responses on the same tags, with the same freshness as fields. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { cacheDirectivesTypeDefs } from '../../../src/index.js';
import { createTestShop, outcomes, type RunResult, type TestShop } from '../../helpers/shop.js';

let shop: TestShop;
before(async () => {
  shop = await createTestShop({ plugin: { operationCache: true } });
});
after(() => shop.stop());

const operation = (result: RunResult) => (result.extensions?.cachetag as { operation?: Record<string, unknown> }).operation;

test('an unchanged query is answered without executing anything', async () => {
  const query = `query Page($id: ID!) { product(id: $id) { name store { name } reviews { rating } } }`;
  const first = await shop.run(query, { id: '48' });
  assert.deepEqual({ ...operation(first), key: undefined }, { outcome: 'miss', reason: 'absent', key: undefined, stored: true });
  await shop.cache.idle();
  shop.db.resetCalls();
  shop.store.reset();
  const second = await shop.run(query, { id: '48' });
  assert.equal(operation(second)?.outcome, 'hit');
  assert.deepEqual(outcomes(second), [], 'no field resolved');
  assert.deepEqual(JSON.parse(JSON.stringify(second.data)), JSON.parse(JSON.stringify(first.data)));
  assert.equal(shop.db.totalCalls, 0);
  assert.equal(shop.store.calls.get.length, 1, 'one store call for the whole response');
  assert.deepEqual([...(operation(second)?.tags as string[])].sort(), ['Product:48', 'Product:48:reviews', 'Review:17', 'Review:18', 'Store:1']);
});

test('a mutation drops only the stored responses that contain an affected tag; re-execution reuses unaffected fields', async () => {
  const page = (id: string) => shop.run(`{ product(id: "${id}") { name price store { name } reviews { rating } } }`);
  await page('49');
  await page('50');
  await shop.cache.idle();
  await shop.run(`mutation { createReview(productId: "49", input: { rating: 2, body: "ok" }) { id } }`);
  const changed = await page('49');
  assert.equal(operation(changed)?.reason, 'stale');
  assert.deepEqual(outcomes(changed), ['Query.product:hit', 'Product.reviews:miss:stale', 'Product.store:hit']);
  assert.equal((changed.data?.product as { reviews: unknown[] }).reviews.length, 3);
  assert.equal(operation(await page('50'))?.outcome, 'hit');
});

test('operations with an uncached resolver, mutations and introspection are not eligible', async () => {
  const mutation = await shop.run(`mutation { updateProduct(id: "51", input: { price: 1 }) { id } }`);
  assert.deepEqual(operation(mutation), { outcome: 'bypass', reason: 'it is a mutation' });
  const introspection = await shop.run(`{ __schema { queryType { name } } }`);
  assert.deepEqual(operation(introspection), { outcome: 'bypass', reason: 'it selects introspection (__schema)' });
});

test('a response with a bypassed field is not stored', async () => {
  const first = await shop.run(`{ store(id: "999") { name } }`);
  assert.equal(operation(first)?.stored, false, 'null without @cacheNull bypasses, so the response depends on something uncached');
  const second = await shop.run(`{ store(id: "999") { name } }`);
  assert.equal(operation(second)?.outcome, 'miss');
});

test('PRIVATE operations are keyed by session and bypass without one', async () => {
  const me = `{ me { name favoriteProducts { name } } }`;
  const alice = await shop.run(me, undefined, { userId: 'alice' });
  await shop.cache.idle();
  const bob = await shop.run(me, undefined, { userId: 'bob' });
  assert.equal(operation(bob)?.outcome, 'miss', "bob does not get alice's stored response");
  assert.notDeepEqual(bob.data, alice.data);
  await shop.cache.idle();
  const aliceAgain = await shop.run(me, undefined, { userId: 'alice' });
  assert.equal(operation(aliceAgain)?.outcome, 'hit');
  assert.deepEqual(JSON.parse(JSON.stringify(aliceAgain.data)), JSON.parse(JSON.stringify(alice.data)));
  assert.deepEqual(operation(await shop.run(me)), { outcome: 'bypass', reason: 'no session for a PRIVATE operation' });
});

test('a late response of an operation that started before an invalidation is never served', async () => {
  const query = `{ product(id: "44") { price } }`;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let reading!: () => void;
  const started = new Promise<void>((resolve) => (reading = resolve));
  shop.db.onRead = async (method) => {
    if (method !== 'product') return;
    shop.db.onRead = undefined;
    reading();
    await gate;
  };
  const slow = shop.run(query);
  await started;
  await shop.run(`mutation { updateProduct(id: "44", input: { price: 123 }) { id } }`);
  release();
  await slow;
  await shop.cache.idle();
  const next = await shop.run(query);
  assert.equal((next.data?.product as { price: number }).price, 123);
  assert.notEqual(operation(next)?.outcome, 'hit');
});

test('storedResponse: a fast-path miss spares the server its operation lookup; a hit answers as Apollo would', async () => {
  const query = `{ product(id: "43") { name } }`;
  const context = { db: shop.db };
  shop.store.reset();
  assert.equal(await shop.cache.storedResponse({ query }, context), undefined);
  const response = await shop.apollo.executeOperation({ query }, { contextValue: context });
  const result = (response.body as { singleResult: RunResult }).singleResult;
  assert.equal(operation(result)?.outcome, 'miss');
  assert.equal(shop.store.calls.get.filter((keys) => keys[0]!.startsWith('op:')).length, 1, 'one operation lookup for both');
  await shop.cache.idle();
  const stored = await shop.cache.storedResponse({ query, variables: null, operationName: null });
  assert.ok(stored);
  assert.equal(stored.body, `{"data":{"product":{"name":"Product 43"}}}\n`);
  assert.equal(Buffer.from(stored.bytes).toString('utf8'), stored.body, 'the bytes are the body');
  assert.deepEqual(stored.tags, ['Product:43']);
  assert.equal(stored.cacheControl, 'max-age=120, public');
  assert.equal(await shop.cache.storedResponse({ query, variables: { unused: 1 } }), undefined, 'other variables, other response');
  assert.equal(await shop.cache.storedResponse({ query: 42 }), undefined, 'malformed requests are not answered');
});

test('operation entries written by 0.1.0 (the JSON text of the data) are still answered, from both entry points', async () => {
  const { createCache, createCodec, createMemoryStore } = await import('../../../src/index.js');
  const { countingStore } = await import('../../helpers/countingStore.js');
  const store = countingStore(createMemoryStore());
  const warnings: string[] = [];
  const cache = createCache({ store, logger: { warn: (message) => warnings.push(message) } });
  const query = '{ ping }';
  cache.instrumentSchema(buildPingSchema());
  assert.equal(await cache.storedResponse({ query }, {}), undefined);
  const key = store.calls.get.flat().find((k) => k.startsWith('op:'))!;
  const { seq } = await store.get([key]);
  const oldFrame = createCodec().encode([['Ping'], [JSON.stringify({ ping: 'pong' }), { maxAge: 30, scope: 'PUBLIC' }]]);
  assert.equal(await store.set([{ key, value: oldFrame, tags: ['Ping'], ttlMs: 60_000, fetchSeq: seq }]), 1);
  const stored = await cache.storedResponse({ query }, {});
  assert.equal(stored?.body, '{"data":{"ping":"pong"}}\n');
  assert.equal(stored?.cacheControl, 'max-age=30, public');
  // A value of neither layout is a miss, not a crash.
  await store.set([{ key, value: createCodec().encode([['Ping'], [42, null]]), tags: ['Ping'], ttlMs: 60_000, fetchSeq: (await store.get([key])).seq }]);
  assert.equal(await cache.storedResponse({ query }, {}), undefined);
  assert.equal(cache.stats().errors.CODEC_CORRUPT, 1);
  assert.match(warnings.join('\n'), /not a cachetag operation response/);
});

function buildPingSchema() {
  return makeExecutableSchema({
    typeDefs: [cacheDirectivesTypeDefs, 'type Query { ping: String @cacheControl(maxAge: 30) }'],
    resolvers: { Query: { ping: () => 'pong' } },
  });
}

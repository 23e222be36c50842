/**
 * Integrations reach the engine through the adapter (adapterOf(cache)), which uses the cache's engine port; the
 * cache's own plumbing methods remain as deprecated pass-throughs, and a hand-wrapped cache still works.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { adapterOf, cacheDirectivesTypeDefs, createCache, type Cache } from '../../src/index.js';

const schema = () =>
  makeExecutableSchema({
    typeDefs: [cacheDirectivesTypeDefs, 'type Query { answer: Int @cacheControl(maxAge: 60) }'],
    resolvers: { Query: { answer: () => 42 } },
  });

test("the adapter's plumbing and the cache's deprecated pass-throughs reach the same engine", () => {
  const cache = createCache();
  const served = schema();
  const adapter = adapterOf(cache);
  const plan = adapter.serve(served);
  assert.equal(adapter.planOf(served), plan);
  assert.equal(cache.planOf(served), plan);
  const context = {};
  const scope = adapter.beginRequest(context, { collectTags: true });
  assert.equal(cache.requestScope(context), scope);
  assert.equal(adapter.requestScope(context), scope);
});

test('a cache wrapped by hand (its methods copied) still serves an adapter', () => {
  const cache = createCache();
  const wrapped: Cache = { ...cache, invalidate: (tags) => cache.invalidate(tags) };
  const served = schema();
  const adapter = adapterOf(wrapped);
  const plan = adapter.serve(served);
  assert.equal(adapter.planOf(served), plan);
});

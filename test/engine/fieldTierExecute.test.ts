/**
 * The field tier with no server: plain graphql-js `execute` over an instrumented schema and the memory store. A hit
 * skips the resolver, a mutation invalidates what its result holds, and a field whose tags are unknown is served uncached.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execute, parse, type ExecutionResult } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { cacheDirectivesTypeDefs, createCache, createMemoryStore } from '../../src/index.js';

/** graphql-js builds null-prototype objects; compare values as a client sees them. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function setup() {
  const products = new Map([
    ['1', { id: '1', name: 'Lamp' }],
    ['2', { id: '2', name: 'Desk' }],
  ]);
  const calls = { product: 0 };
  const schema = makeExecutableSchema({
    typeDefs: [
      cacheDirectivesTypeDefs,
      /* GraphQL */ `
        type Product {
          id: ID!
          name: String!
        }
        type Query {
          product(id: ID!): Product @cacheControl(maxAge: 60)
        }
        type Mutation {
          rename(id: ID!, name: String!): Product
        }
      `,
    ],
    resolvers: {
      Query: {
        product: (_: unknown, { id }: { id: string }) => {
          calls.product++;
          return products.get(id) ? { ...products.get(id)! } : null;
        },
      },
      Mutation: {
        rename: (_: unknown, { id, name }: { id: string; name: string }) => {
          products.set(id, { id, name });
          return { id, name };
        },
      },
    },
  });
  const cache = createCache({ store: createMemoryStore(), strict: true });
  cache.instrumentSchema(schema);
  // A fresh context object per operation, as servers make one per request.
  const run = async (source: string): Promise<ExecutionResult> => {
    const result = await execute({ schema, document: parse(source), contextValue: {} });
    await cache.idle();
    return result;
  };
  return { cache, calls, run };
}

test('a repeated query is answered from the entry: the resolver runs once', async () => {
  const { cache, calls, run } = setup();
  const first = await run('{ product(id: "1") { name } }');
  const second = await run('{ product(id: "1") { name } }');
  assert.deepEqual(plain(second), plain(first));
  assert.deepEqual(plain(first.data), { product: { name: 'Lamp' } });
  assert.equal(calls.product, 1);
  assert.deepEqual({ hits: cache.stats().hits, misses: cache.stats().misses, fills: cache.stats().fills }, { hits: 1, misses: 1, fills: 1 });
});

test('other arguments are other entries', async () => {
  const { calls, run } = setup();
  await run('{ product(id: "1") { name } }');
  await run('{ product(id: "2") { name } }');
  assert.equal(calls.product, 2);
});

test('a mutation invalidates the entities of its result, so the next read runs the resolver again and sees the write', async () => {
  const { cache, calls, run } = setup();
  await run('{ product(id: "1") { name } }');
  const write = await run('mutation { rename(id: "1", name: "Lantern") { id name } }');
  assert.equal(write.errors, undefined);
  assert.equal(cache.stats().invalidations, 1);
  const after = await run('{ product(id: "1") { name } }');
  assert.deepEqual(plain(after.data), { product: { name: 'Lantern' } });
  assert.equal(calls.product, 2);
});

test('cache.invalidate() of the entity tag makes the entry stale', async () => {
  const { cache, calls, run } = setup();
  await run('{ product(id: "2") { name } }');
  await cache.invalidate('Product:2');
  await run('{ product(id: "2") { name } }');
  assert.equal(calls.product, 2);
});

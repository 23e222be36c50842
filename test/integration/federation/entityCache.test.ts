/**
 * Entity resolution in a subgraph is cached per entity: each representation of an `_entities` request is its own
 * entry (`Product.__resolveReference`), all looked up in one store call, and only the missing ones reach
 * `__resolveReference`. Real @apollo/subgraph, real Apollo Server 5.
 */
import { test, type TestContext } from 'node:test';
import DataLoader from 'dataloader';
import assert from 'node:assert/strict';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createCache, createMemoryStore, type Store } from '../../../src/index.js';
import { countingStore } from '../../helpers/countingStore.js';
import { connectOrSkip } from '../../helpers/redis.js';
import { createSubgraphHarness, entitiesQuery, subgraphCacheControlTypeDefs } from '../../helpers/subgraph.js';
import { openStore } from '../redis/support.js';

const typeDefs = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.12", import: ["@key", "@cacheTag"])
  ${subgraphCacheControlTypeDefs}
  type Product @key(fields: "id") @cacheControl(maxAge: 60) @cacheTag(format: "catalog") {
    id: ID!
    sku: String!
    name: String!
    price: Int!
  }
  type Query {
    product(id: ID!): Product
  }
  type Mutation {
    setPrice(id: ID!, price: Int!): Product
  }
`;

function catalog(size: number) {
  const products = new Map<string, { id: string; sku: string; name: string; price: number }>();
  for (let i = 1; i <= size; i++) products.set(String(i), { id: String(i), sku: `sku-${i}`, name: `Product ${i}`, price: i * 10 });
  return products;
}

async function fiftyOfWhich45Cached(t: TestContext, store?: Store): Promise<void> {
  const products = catalog(50);
  const resolved: string[] = [];
  const harness = await createSubgraphHarness(
    typeDefs,
    {
      Product: {
        __resolveReference(reference: { id: string }) {
          resolved.push(reference.id);
          return products.get(reference.id) ?? null;
        },
      },
    },
    store ? { store } : {},
  );
  t.after(() => harness.stop());
  const representations = (ids: number[]) => ids.map((id) => ({ __typename: 'Product', id: String(id) }));
  const first45 = Array.from({ length: 45 }, (_, i) => i + 1);
  const all50 = Array.from({ length: 50 }, (_, i) => i + 1);

  const warm = await harness.run(entitiesQuery, { representations: representations(first45) });
  assert.equal(warm.errors, undefined);
  assert.equal(resolved.length, 45);
  resolved.length = 0;
  harness.store.reset();

  const result = await harness.run(entitiesQuery, { representations: representations(all50) });
  assert.equal(result.errors, undefined);
  assert.deepEqual(resolved.sort(), ['46', '47', '48', '49', '50']);
  assert.deepEqual(
    result.data._entities.map((e: { id: string; price: number }) => [e.id, e.price]),
    all50.map((id) => [String(id), id * 10]),
  );
  // All 50 lookups of the request tick in one store call, and the 5 fills in one write.
  assert.equal(harness.store.calls.get.length, 1);
  assert.equal(harness.store.calls.get[0]!.length, 50);
  assert.ok(harness.store.calls.get[0]!.every((key) => key.startsWith('Product.__resolveReference:')));
  assert.equal(harness.store.calls.set.length, 1);
  assert.equal(harness.store.calls.set[0]!.length, 5);
  // Each entry carries the entity's tag and the type's @cacheTag.
  const entry = harness.store.calls.set[0]![0]!;
  assert.ok(entry.tags.includes('Product:46') && entry.tags.includes('catalog'), JSON.stringify(entry.tags));
  assert.equal(entry.ttlMs, 60_000);
  assert.deepEqual(harness.warnings, []);
}

test('50 representations of which 45 are cached: one store lookup, __resolveReference runs for the 5 others', async (t) => {
  await fiftyOfWhich45Cached(t);
});

test('50 representations of which 45 are cached, on Redis: one store lookup, 5 resolver calls', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  await fiftyOfWhich45Cached(t, await openStore(t, redis));
});

test('a mutation in the subgraph invalidates the cached entity', async (t) => {
  const products = catalog(3);
  let calls = 0;
  const harness = await createSubgraphHarness(typeDefs, {
    Product: {
      __resolveReference(reference: { id: string }) {
        calls++;
        return products.get(reference.id) ?? null;
      },
    },
    Mutation: {
      setPrice(_: unknown, { id, price }: { id: string; price: number }) {
        products.get(id)!.price = price;
        return products.get(id);
      },
    },
  });
  t.after(() => harness.stop());
  const reps = { representations: [{ __typename: 'Product', id: '2' }] };
  assert.equal((await harness.run(entitiesQuery, reps)).data._entities[0].price, 20);
  assert.equal((await harness.run(entitiesQuery, reps)).data._entities[0].price, 20);
  assert.equal(calls, 1);
  await harness.run('mutation { setPrice(id: "2", price: 99) { id price } }');
  assert.ok(harness.store.calls.invalidate.at(-1)?.includes('Product:2'));
  assert.equal((await harness.run(entitiesQuery, reps)).data._entities[0].price, 99);
  assert.equal(calls, 2);
});

test('a batched reference resolver (a DataLoader in __resolveReference) gets the missing entities in one batch', async (t) => {
  const products = catalog(20);
  const batches: string[][] = [];
  const harness = await createSubgraphHarness(typeDefs, {
    Product: {
      __resolveReference(reference: { id: string }, context: { loader?: DataLoader<string, unknown> }) {
        context.loader ??= new DataLoader(async (ids: readonly string[]) => {
          batches.push([...ids]);
          return ids.map((id) => products.get(id) ?? null);
        });
        return context.loader.load(reference.id);
      },
    },
  });
  t.after(() => harness.stop());
  const reps = (ids: number[]) => ({ representations: ids.map((id) => ({ __typename: 'Product', id: String(id) })) });
  await harness.run(entitiesQuery, reps([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), { context: {} });
  const result = await harness.run(entitiesQuery, reps(Array.from({ length: 20 }, (_, i) => i + 1)), { context: {} });
  assert.equal(result.data._entities.length, 20);
  assert.deepEqual(batches, [
    ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
    ['11', '12', '13', '14', '15', '16', '17', '18', '19', '20'],
  ]);
});

test('a __resolveReference that hands out the same object again is still cached, although @apollo/subgraph marked it with a hidden __typename', async (t) => {
  const products = catalog(2);
  let calls = 0;
  const harness = await createSubgraphHarness(typeDefs, {
    Product: {
      __resolveReference(reference: { id: string }) {
        calls++;
        return products.get(reference.id) ?? null; // the same object every time
      },
    },
  });
  t.after(() => harness.stop());
  const reps = { representations: [{ __typename: 'Product', id: '1' }] };
  await harness.run(entitiesQuery, reps);
  await harness.cache.invalidate('Product:1');
  for (let i = 0; i < 3; i++) assert.equal((await harness.run(entitiesQuery, reps)).data._entities[0].__typename, 'Product');
  assert.equal(calls, 2);
  assert.deepEqual(harness.warnings, []);
});

test('a reference resolver called outside an _entities execution (no resolve info) runs as it was', async () => {
  let calls = 0;
  const schema = buildSubgraphSchema({
    typeDefs: parse(typeDefs),
    resolvers: {
      Product: {
        __resolveReference(reference: { id: string }) {
          calls++;
          return { id: reference.id, sku: 's', name: 'n', price: 1 };
        },
      },
    },
  });
  const store = countingStore(createMemoryStore());
  const cache = createCache({ store });
  cache.instrumentSchema(schema);
  const extensions = schema.getType('Product')!.extensions as { apollo: { subgraph: { resolveReference: (r: unknown, c: unknown, i: unknown) => unknown } } };
  assert.deepEqual(await extensions.apollo.subgraph.resolveReference({ __typename: 'Product', id: '1' }, {}, undefined), {
    id: '1',
    sku: 's',
    name: 'n',
    price: 1,
  });
  assert.equal(calls, 1);
  assert.equal(store.calls.get.length, 0);
  await cache.close();
});

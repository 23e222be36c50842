import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestShop, outcomes } from '../../helpers/shop.js';
import { createHarness } from '../../helpers/schema.js';

test('a cached null is tagged like the entity it would be, so creating that entity invalidates it', async () => {
  const shop = await createTestShop();
  try {
    const query = `{ product(id: "1000") { name } }`;
    await shop.run(query);
    await shop.cache.idle();
    const cachedNull = await shop.run(query);
    assert.equal(cachedNull.data?.product, null);
    assert.deepEqual(outcomes(cachedNull), ['Query.product:hit']);
    assert.equal(shop.db.calls.product, 1);

    // The shop's next id is 1000: the created product is the one the null stood for.
    const created = await shop.run(`mutation { createProduct(input: { storeId: "1", name: "Yerba", price: 4, category: "tea" }) { id } }`);
    assert.equal((created.data?.createProduct as { id: string }).id, '1000');
    const fresh = await shop.run(query);
    assert.deepEqual(JSON.parse(JSON.stringify(fresh.data?.product)), { name: 'Yerba' });
    assert.deepEqual(outcomes(fresh), ['Query.product:miss:stale']);
  } finally {
    await shop.stop();
  }
});

test('a parent that embeds a scoped list in its raw value is invalidated when the list scope changes', async () => {
  const typeDefs = /* GraphQL */ `
    type Query {
      store(id: ID!): Store @cacheControl(maxAge: 60)
    }
    type Store {
      id: ID!
      products(category: String): [Product!]! @listScope(filters: ["storeId: $parent.id", "category"])
    }
    type Product {
      id: ID!
      storeId: ID!
      category: String!
    }
    type Mutation {
      createProduct(storeId: ID!, category: String!): Product!
    }
  `;
  const products = [{ id: '1', storeId: '1', category: 'tea' }];
  let storeCalls = 0;
  const h = createHarness(typeDefs, {
    Query: {
      // One raw value carries the list: Store.products has no resolver of its own.
      store: (_: unknown, { id }: { id: string }) => (storeCalls++, { id, products: products.filter((p) => p.storeId === id).map((p) => ({ ...p })) }),
    },
    Mutation: {
      createProduct: (_: unknown, args: { storeId: string; category: string }) => {
        const row = { id: String(products.length + 1), ...args };
        products.push(row);
        return { ...row };
      },
    },
  });
  const query = `{ one: store(id: "1") { products { id } } two: store(id: "2") { products { id } } }`;
  await h.run(query);
  await h.run(query);
  assert.equal(storeCalls, 2, 'both stores cached');
  await h.run(`mutation { createProduct(storeId: "1", category: "coffee") { id storeId category } }`);
  const after = await h.run(query);
  assert.equal(storeCalls, 3, 'only store 1, whose embedded list the new product belongs in, ran again');
  assert.deepEqual(JSON.parse(JSON.stringify(after.data)), { one: { products: [{ id: '1' }, { id: '2' }] }, two: { products: [] } });
});

test('a list without @listScope relies on its entity tags and on @invalidates', async () => {
  const shop = await createTestShop();
  try {
    const list = `{ store(id: "2") { products { id } } }`;
    await shop.run(list);
    await shop.cache.idle();
    // Store.products is tagged Store:{$parent.id}:products; createProduct's @invalidates names that tag, so it refreshes.
    await shop.run(`mutation { createProduct(input: { storeId: "2", name: "Mate", price: 3, category: "tea" }) { id } }`);
    assert.deepEqual(outcomes(await shop.run(list)), ['Query.store:hit', 'Store.products:miss:stale']);
    await shop.cache.idle();
    // An item already in the list invalidates it through its entity tag (product 40 is in store 2).
    await shop.run(`mutation { updateProduct(id: "40", input: { name: "Renamed" }) { id } }`);
    assert.deepEqual(outcomes(await shop.run(list)), ['Query.store:hit', 'Store.products:miss:stale']);
    await shop.cache.idle();
    // An item of another store touches neither.
    await shop.run(`mutation { updateProduct(id: "41", input: { name: "Renamed" }) { id } }`);
    assert.deepEqual(outcomes(await shop.run(list)), ['Query.store:hit', 'Store.products:hit']);
  } finally {
    await shop.stop();
  }
});

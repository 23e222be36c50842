/**
 * Issue 21 item 4: an ORM row whose unloaded relation throws when touched (never selected). Tag derivation and the
 * encodability check must not fail the request on it (the value is served uncached instead), and a mutation
 * returning such a row still invalidates its entity, whose key fields are readable.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApollo } from '../../helpers/apolloHarness.js';

const typeDefs = /* GraphQL */ `
  type Query {
    product(id: ID!): Product @cacheControl(maxAge: 60)
    row(id: ID!): Product @cacheControl(maxAge: 60)
    label(id: ID!): Label @cacheControl(maxAge: 60)
  }
  type Mutation {
    setPrice(id: ID!, price: Int!): Product
  }
  type Product {
    id: ID!
    price: Int!
    reviews: [Review!]!
  }
  type Review {
    id: ID!
    stars: Int!
  }
  type Label {
    text: String!
  }
`;

/** What an ORM hands out: the columns, and a relation that throws unless it was loaded. */
function ormRow(id: string, price: number) {
  return {
    id,
    price,
    get reviews(): never {
      throw new Error('Relation "reviews" was not loaded');
    },
    get owner(): never {
      throw new Error('Relation "owner" was not loaded');
    },
  };
}

function setup() {
  const prices = new Map([['1', 100]]);
  const calls = { product: 0, row: 0, label: 0 };
  return startApollo(typeDefs, {
    Query: {
      product: (_: unknown, { id }: { id: string }) => (calls.product++, { id, price: prices.get(id) }),
      row: (_: unknown, { id }: { id: string }) => (calls.row++, ormRow(id, prices.get(id)!)),
      label: () => (
        calls.label++,
        {
          text: 'x',
          get secret(): never {
            throw new Error('lazy');
          },
        }
      ),
    },
    Mutation: {
      setPrice: (_: unknown, { id, price }: { id: string; price: number }) => (prices.set(id, price), ormRow(id, price)),
    },
    Product: { reviews: () => [] },
  }).then((h) => ({ h, calls }));
}

test('a mutation returning a row with a throwing relation answers and invalidates its entity', async (t) => {
  const { h, calls } = await setup();
  t.after(() => h.stop());
  assert.deepEqual((await h.run(`{ product(id: "1") { id price } }`)).data, { product: { id: '1', price: 100 } });
  const mutation = await h.run(`mutation { setPrice(id: "1", price: 200) { id price } }`);
  assert.equal(mutation.errors, undefined, JSON.stringify(mutation.errors));
  assert.deepEqual(mutation.data, { setPrice: { id: '1', price: 200 } });
  assert.deepEqual((await h.run(`{ product(id: "1") { id price } }`)).data, { product: { id: '1', price: 200 } });
  assert.equal(calls.product, 2, 'the cached product was invalidated');
});

test('a query returning a row with a throwing relation is served uncached, with one warning, never fails', async (t) => {
  const { h, calls } = await setup();
  t.after(() => h.stop());
  for (let i = 0; i < 2; i++) {
    const result = await h.run(`{ row(id: "1") { id price } }`);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    assert.deepEqual(result.data, { row: { id: '1', price: 100 } });
    const label = await h.run(`{ label(id: "1") { text } }`);
    assert.equal(label.errors, undefined, JSON.stringify(label.errors));
    assert.deepEqual(label.data, { label: { text: 'x' } });
  }
  assert.equal(calls.row, 2);
  assert.equal(calls.label, 2);
  assert.equal(h.cache.stats().bypasses, 4);
  assert.equal(h.warnings.filter((w) => w.includes('Query.row')).length, 1, h.warnings.join('\n'));
  assert.equal(h.warnings.filter((w) => w.includes('Query.label')).length, 1, h.warnings.join('\n'));
});

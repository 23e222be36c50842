/**
 * Writes nested under the mutation type (`mutation { product { like(id: 42) } }`) are writes: nothing resolved in a
 * mutation operation is served from the cache or stored, and the entities they return are invalidated.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApolloHarness } from '../../helpers/apollo.js';

const typeDefs = /* GraphQL */ `
  type Product @cacheControl(maxAge: 300) {
    id: ID!
    likes: Int!
  }
  type Query {
    product(id: ID!): Product
  }
  type ProductMutations {
    like(id: ID!): Product
    unlike(id: ID!): Boolean @invalidates(format: "Product:{$args.id}")
  }
  type Mutation {
    product: ProductMutations!
  }
`;

function app() {
  const likes = new Map<string, number>([['42', 0]]);
  const calls = { like: 0, unlike: 0, product: 0 };
  const resolvers = {
    Query: { product: (_: unknown, { id }: { id: string }) => (calls.product++, likes.has(id) ? { id, likes: likes.get(id)! } : null) },
    Mutation: { product: () => ({}) },
    ProductMutations: {
      like: (_: unknown, { id }: { id: string }) => {
        calls.like++;
        likes.set(id, (likes.get(id) ?? 0) + 1);
        return { id, likes: likes.get(id)! };
      },
      unlike: (_: unknown, { id }: { id: string }) => {
        calls.unlike++;
        likes.set(id, (likes.get(id) ?? 0) - 1);
        return true;
      },
    },
  };
  return { likes, calls, resolvers };
}

test('three identical nested mutations run the resolver three times, and the product reads the new likes', async () => {
  const { calls, resolvers } = app();
  const h = await createApolloHarness(typeDefs, resolvers);
  try {
    const read = async () => ((await h.run(`{ product(id: 42) { likes } }`)).data?.product as { likes: number }).likes;
    assert.equal(await read(), 0);
    assert.equal(await read(), 0);
    assert.equal(calls.product, 1, 'the read is cached');
    const answers: number[] = [];
    for (let i = 0; i < 3; i++) {
      const result = await h.run(`mutation { product { like(id: 42) { likes } } }`);
      answers.push((result.data?.product as { like: { likes: number } }).like.likes);
    }
    assert.equal(calls.like, 3, 'every mutation ran its resolver');
    assert.deepEqual(answers, [1, 2, 3]);
    assert.equal(await read(), 3, 'the product entry was invalidated by the nested write');
    assert.equal(calls.product, 2);
    assert.equal(h.store.calls.set.flat().filter((entry) => entry.key.includes('ProductMutations')).length, 0, 'nothing of the mutation is stored');
  } finally {
    await h.stop();
  }
});

test('@invalidates is allowed on a field below the mutation type, and invalidates', async () => {
  const { calls, resolvers } = app();
  const h = await createApolloHarness(typeDefs, resolvers);
  try {
    const read = async () => ((await h.run(`{ product(id: 42) { likes } }`)).data?.product as { likes: number }).likes;
    assert.equal(await read(), 0);
    await h.run(`mutation { product { unlike(id: 42) } }`);
    assert.equal(calls.unlike, 1);
    assert.equal(await read(), -1);
  } finally {
    await h.stop();
  }
});

test('a cached field resolved inside a mutation is neither served from the cache nor stored', async () => {
  const typeDefs2 = /* GraphQL */ `
    type Product @cacheControl(maxAge: 300) {
      id: ID!
      likes: Int!
      related: [Product!]! @cacheControl(maxAge: 300)
    }
    type Query {
      product(id: ID!): Product
    }
    type Mutation {
      touch(id: ID!): Product
    }
  `;
  let related = 0;
  const h = await createApolloHarness(
    typeDefs2,
    {
      Query: { product: (_: unknown, { id }: { id: string }) => ({ id, likes: 0 }) },
      Mutation: { touch: (_: unknown, { id }: { id: string }) => ({ id, likes: 1 }) },
      Product: { related: () => (related++, [{ id: '7', likes: 0 }]) },
    },
    { plugin: { debug: true } },
  );
  try {
    await h.run(`{ product(id: 1) { related { id } } }`);
    assert.equal(related, 1);
    const sets = h.store.calls.set.length;
    const result = await h.run(`mutation { touch(id: 1) { related { id } } }`);
    assert.equal(related, 2, 'the cached entry was not served inside the mutation');
    assert.equal(h.store.calls.set.length, sets, 'nothing was stored');
    const fields = (result.extensions?.cachetag as { fields: { coordinate: string; outcome: string; reason?: string }[] }).fields;
    assert.deepEqual(
      fields.map((f) => `${f.coordinate}:${f.outcome}:${f.reason}`),
      ['Product.related:bypass:mutation'],
    );
  } finally {
    await h.stop();
  }
});

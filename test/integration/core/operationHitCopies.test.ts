/**
 * Operation-tier hits through Apollo hand the server data objects of its own, copied from one parse kept per stored
 * frame instead of parsing the stored text on every hit: whatever a plugin changes in one response (deep in a list,
 * a key added or removed) never reaches the next hit, and every hit sends the bytes the first response had.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApolloServerPlugin } from '@apollo/server';
import { startApollo } from '../../helpers/apolloHarness.js';
import { createApolloPlugin } from '../../../src/apollo/index.js';

const typeDefs = /* GraphQL */ `
  type Query {
    products: [Product!]! @cacheControl(maxAge: 60) @cacheTag(format: "products")
  }
  type Product @cacheControl(maxAge: 60) {
    id: ID!
    name: String!
    reviews: [Review!]!
  }
  type Review @cacheControl(maxAge: 60) {
    id: ID!
    rating: Int!
  }
`;

const products = [
  {
    id: '1',
    name: 'Lamp "L" ü',
    reviews: [
      { id: 'r1', rating: 5 },
      { id: 'r2', rating: 3 },
    ],
  },
  { id: '2', name: 'Desk', reviews: [] },
];
const query = '{ products { id name reviews { id rating } } __proto__: products { id } }';

test('each hit through the server gets data of its own, byte for byte the first response, however plugins change it', async (t) => {
  let executions = 0;
  const h = await startApollo(typeDefs, {
    Query: {
      products: () => {
        executions++;
        return products;
      },
    },
  });
  t.after(() => h.stop());
  const expected = (await h.run(query)).data;
  assert.equal(executions, 1);
  await h.cache.idle();

  const send = async () => {
    const response = await h.apollo.executeOperation({ query }, { contextValue: {} });
    assert.equal(response.body.kind, 'single');
    return (response.body as unknown as { singleResult: { data: Record<string, unknown> } }).singleResult.data;
  };
  const stringified: string[] = [];
  // Enough hits on one frame that later ones are copies of the kept parse, each changed as a plugin might.
  for (let i = 0; i < 5; i++) {
    const data = await send();
    stringified.push(JSON.stringify(data));
    assert.deepEqual(Object.keys(data), ['products', '__proto__'], 'the alias __proto__ is an own key, as JSON.parse makes it');
    const list = data.products as { name: string; reviews: { rating: number }[] }[];
    list[0]!.name = `changed ${i}`;
    list[0]!.reviews[1]!.rating = 0;
    list[0]!.reviews.push({ rating: -1 });
    list.pop();
    delete data.__proto__;
    data.added = i;
  }
  assert.equal(executions, 1, 'every read after the first was an operation-tier hit');
  assert.equal(h.cache.stats().operationHits, 5);
  assert.deepEqual(new Set(stringified).size, 1);
  assert.equal(stringified[0], JSON.stringify(expected));
});

test('a plugin changing the data of a hit in willSendResponse changes only that response', async (t) => {
  let calls = 0;
  const changer: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const data = response.body.singleResult.data as { products: { name: string }[] } | undefined;
          if (data && ++calls === 3) data.products[0]!.name = 'only in the third response';
        },
      };
    },
  };
  const { ApolloServer } = await import('@apollo/server');
  const { cacheDirectivesTypeDefs, createCache } = await import('../../../src/index.js');
  const cache = createCache();
  const apollo = new ApolloServer({
    typeDefs: [cacheDirectivesTypeDefs, typeDefs],
    resolvers: { Query: { products: () => products } },
    plugins: [createApolloPlugin(cache), changer],
  });
  await apollo.start();
  t.after(async () => {
    await apollo.stop();
    await cache.close();
  });
  const names: string[] = [];
  for (let i = 0; i < 6; i++) {
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: 'POST',
        headers: new (await import('@apollo/server')).HeaderMap([['content-type', 'application/json']]),
        search: '',
        body: { query: '{ products { name } }' },
      },
      context: async () => ({}),
    });
    assert.equal(response.body.kind, 'complete');
    names.push((JSON.parse((response.body as { string: string }).string) as { data: { products: { name: string }[] } }).data.products[0]!.name);
    await cache.idle();
  }
  assert.deepEqual(names, ['Lamp "L" ü', 'Lamp "L" ü', 'only in the third response', 'Lamp "L" ü', 'Lamp "L" ü', 'Lamp "L" ü']);
  assert.equal(cache.stats().operationHits, 5);
});

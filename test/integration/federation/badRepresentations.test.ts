/**
 * Representations cachetag cannot identify (no key fields, a key of the wrong type, a typename that is no entity) are
 * answered exactly as the same subgraph without cachetag answers them, and never cached.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createSubgraphHarness, entitiesQuery, subgraphCacheControlTypeDefs, type Resolvers } from '../../helpers/subgraph.js';

const typeDefs = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.12", import: ["@key"])
  ${subgraphCacheControlTypeDefs}
  type Product @key(fields: "id") @cacheControl(maxAge: 60) {
    id: ID!
    sku: String!
    name: String!
    price: Int!
  }
  type Note @cacheControl(maxAge: 60) {
    text: String
  }
  type Query {
    product(id: ID!): Product
    note: Note
  }
`;

function resolvers(calls: unknown[]): Resolvers {
  return {
    Product: {
      __resolveReference(reference: Record<string, unknown>) {
        calls.push(reference);
        if (reference.id === undefined) throw new Error('no id in the representation');
        if (typeof reference.id !== 'string') return null;
        return { id: reference.id, sku: `sku-${reference.id}`, name: `Product ${reference.id}`, price: 1 };
      },
    },
  };
}

const cases: Record<string, unknown[]> = {
  'without its key fields': [{ __typename: 'Product' }, { __typename: 'Product', sku: 'sku-1' }],
  'with a key of the wrong type': [
    { __typename: 'Product', id: { nested: 1 } },
    { __typename: 'Product', id: true },
    { __typename: 'Product', id: null },
    { __typename: 'Product', id: '' },
  ],
  'naming a type that is no entity': [{ __typename: 'Note' }],
  'naming a type the subgraph does not have': [{ __typename: 'Nope', id: '1' }],
};

for (const [name, bad] of Object.entries(cases)) {
  test(`a representation ${name} is answered as the subgraph answers it and never cached`, async (t) => {
    const plainCalls: unknown[] = [];
    const plain = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers: resolvers(plainCalls) }) });
    await plain.start();
    t.after(() => plain.stop());
    const cachedCalls: unknown[] = [];
    const harness = await createSubgraphHarness(typeDefs, resolvers(cachedCalls));
    t.after(() => harness.stop());
    const good = { __typename: 'Product', id: '1' };

    for (const representations of [bad, [good, ...bad]]) {
      const variables = { representations };
      const expectedResponse = await plain.executeOperation({ query: entitiesQuery, variables });
      const expected = withoutStacks((expectedResponse.body as { singleResult: unknown }).singleResult);
      for (let i = 0; i < 2; i++) {
        const actual = await harness.run(entitiesQuery, variables);
        assert.deepEqual(withoutStacks(actual), expected);
      }
    }
    // Each bad representation reached the resolver on every request, as often as without cachetag (which ran each request once).
    const badCalls = (calls: unknown[]) => calls.filter((c) => JSON.stringify(c) !== JSON.stringify(good)).length;
    assert.equal(badCalls(cachedCalls), 2 * badCalls(plainCalls));
    const stored = harness.store.calls.set.flat();
    assert.ok(stored.length <= 1);
    for (const entry of stored) assert.ok(entry.tags.includes('Product:1'));
  });
}

/** The response as a client reads it, without the stack traces (they name the wrapper frame). */
function withoutStacks(result: unknown): unknown {
  return JSON.parse(JSON.stringify(result), (key, value) => (key === 'stacktrace' ? undefined : value));
}

/**
 * One `_entities` request may mix entity types: each entity's entry takes its own type's maxAge and scope, not the
 * narrowest of the batch (Apollo folds them all into the one `_entities` policy), and a dynamic hint a reference
 * resolver gives narrows only its own entity.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSubgraphHarness, subgraphCacheControlTypeDefs } from '../../helpers/subgraph.js';

const typeDefs = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.12", import: ["@key"])
  ${subgraphCacheControlTypeDefs}
  type Product @key(fields: "id") @cacheControl(maxAge: 60) {
    id: ID!
    name: String!
  }
  type Offer @key(fields: "id") @cacheControl(maxAge: 10) {
    id: ID!
    name: String!
  }
  type Profile @key(fields: "id") @cacheControl(maxAge: 30, scope: PRIVATE) {
    id: ID!
    name: String!
  }
  type Query {
    product(id: ID!): Product
  }
`;

const query = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Product {
        id
        name
      }
      ... on Offer {
        id
        name
      }
      ... on Profile {
        id
        name
      }
    }
  }
`;

test('each entity of a mixed batch is stored with its own type’s TTL and scope', async (t) => {
  const calls: string[] = [];
  const resolver = (typename: string) => ({
    __resolveReference(reference: { id: string }, _context: unknown, info: { cacheControl?: { setCacheHint(hint: object): void } }) {
      calls.push(`${typename}:${reference.id}`);
      if (reference.id === 'dyn') info.cacheControl?.setCacheHint({ maxAge: 0 });
      return { id: reference.id, name: `${typename} ${reference.id}` };
    },
  });
  const harness = await createSubgraphHarness(
    typeDefs,
    { Product: resolver('Product'), Offer: resolver('Offer'), Profile: resolver('Profile') },
    { cache: { sessionId: (context) => (context as { user?: string }).user } },
  );
  t.after(() => harness.stop());
  const reps = {
    representations: [
      { __typename: 'Product', id: '1' },
      { __typename: 'Offer', id: '2' },
      { __typename: 'Profile', id: '3' },
      { __typename: 'Product', id: 'dyn' },
    ],
  };
  const first = await harness.run(query, reps, { context: { user: 'ann' } });
  assert.equal(first.errors, undefined, JSON.stringify(first.errors));
  const stored = harness.store.calls.set.flat().map((entry) => [entry.tags.find((tag) => /^(Product|Offer|Profile):/.test(tag)), entry.ttlMs]);
  assert.deepEqual(stored.sort(), [
    ['Offer:2', 10_000],
    ['Product:1', 60_000],
    ['Profile:3', 30_000],
  ]);
  // Another session: the PUBLIC entities hit, the PRIVATE one and the one its resolver made uncacheable run again.
  calls.length = 0;
  await harness.run(query, reps, { context: { user: 'bob' } });
  assert.deepEqual(calls.sort(), ['Product:dyn', 'Profile:3']);
});

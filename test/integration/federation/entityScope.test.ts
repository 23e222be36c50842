/**
 * An entity type's @cacheControl decides how its resolved references are cached: its maxAge is the entry's TTL (no
 * maxAge: not cached at all), and scope: PRIVATE keys the entry by session (no session: resolved every time).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSubgraphHarness, subgraphCacheControlTypeDefs } from '../../helpers/subgraph.js';

const typeDefs = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.12", import: ["@key"])
  ${subgraphCacheControlTypeDefs}
  type Profile @key(fields: "id") @cacheControl(maxAge: 30, scope: PRIVATE) {
    id: ID!
    viewer: String!
  }
  type Price @key(fields: "id") {
    id: ID!
    amount: Int!
  }
  type Query {
    profile(id: ID!): Profile
  }
`;

const query = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Profile {
        id
        viewer
      }
      ... on Price {
        id
        amount
      }
    }
  }
`;

async function setup(t: import('node:test').TestContext) {
  const calls: string[] = [];
  const harness = await createSubgraphHarness(
    typeDefs,
    {
      Profile: {
        __resolveReference(reference: { id: string }, context: { user?: string }) {
          calls.push(`Profile ${reference.id} for ${context.user}`);
          return { id: reference.id, viewer: context.user ?? 'nobody' };
        },
      },
      Price: {
        __resolveReference(reference: { id: string }) {
          calls.push(`Price ${reference.id}`);
          return { id: reference.id, amount: 5 };
        },
      },
    },
    { cache: { sessionId: (context) => (context as { user?: string }).user } },
  );
  t.after(() => harness.stop());
  return { harness, calls };
}

test('a PRIVATE entity is cached per session, and resolved every time without one', async (t) => {
  const { harness, calls } = await setup(t);
  const reps = { representations: [{ __typename: 'Profile', id: 'p1' }] };
  for (let i = 0; i < 2; i++) {
    assert.equal((await harness.run(query, reps, { context: { user: 'ann' } })).data._entities[0].viewer, 'ann');
    assert.equal((await harness.run(query, reps, { context: { user: 'bob' } })).data._entities[0].viewer, 'bob');
    assert.equal((await harness.run(query, reps, { context: {} })).data._entities[0].viewer, 'nobody');
  }
  assert.deepEqual(calls, ['Profile p1 for ann', 'Profile p1 for bob', 'Profile p1 for undefined', 'Profile p1 for undefined']);
  assert.equal(harness.store.calls.set.flat().length, 2);
});

test('an entity type without maxAge is not cached: no lookup, resolved every time', async (t) => {
  const { harness, calls } = await setup(t);
  const reps = { representations: [{ __typename: 'Price', id: 'x' }] };
  await harness.run(query, reps);
  await harness.run(query, reps);
  assert.deepEqual(calls, ['Price x', 'Price x']);
  assert.equal(harness.store.calls.get.length, 0);
});

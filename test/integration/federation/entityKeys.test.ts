/**
 * Which key a representation names decides its entry and tags: composite and nested keys, several @keys on one type
 * (each representation names its own), `resolvable: false` keys (never resolved from the cache), @interfaceObject.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSubgraphHarness, subgraphCacheControlTypeDefs } from '../../helpers/subgraph.js';

const typeDefs = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.12", import: ["@key", "@interfaceObject"])
  ${subgraphCacheControlTypeDefs}
  type Variant @key(fields: "sku region") @key(fields: "id") @cacheControl(maxAge: 30) {
    id: ID!
    sku: String!
    region: String!
    label: String!
  }
  type Org {
    id: ID!
  }
  type Account @key(fields: "number org { id }") @cacheControl(maxAge: 30) {
    number: Int!
    org: Org!
    owner: String!
  }
  type Warehouse @key(fields: "id", resolvable: false) @cacheControl(maxAge: 30) {
    id: ID!
  }
  type Media @key(fields: "id") @interfaceObject @cacheControl(maxAge: 30) {
    id: ID!
    plays: Int!
  }
  type Query {
    variant(id: ID!): Variant
  }
  type Mutation {
    relabel(id: ID!, label: String!): Variant
  }
`;

const query = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on Variant {
        id
        sku
        region
        label
      }
      ... on Account {
        number
        org {
          id
        }
        owner
      }
      ... on Media {
        id
        plays
      }
    }
  }
`;

async function setup(t: import('node:test').TestContext) {
  const variants = [{ id: 'v1', sku: 'sku-1', region: 'eu', label: 'Red' }];
  const calls: string[] = [];
  const harness = await createSubgraphHarness(typeDefs, {
    Variant: {
      __resolveReference(reference: { id?: string; sku?: string; region?: string }) {
        calls.push(`Variant ${JSON.stringify(reference)}`);
        return variants.find((v) => (reference.id ? v.id === reference.id : v.sku === reference.sku && v.region === reference.region)) ?? null;
      },
    },
    Account: {
      __resolveReference(reference: { number: number; org: { id: string } }) {
        calls.push(`Account ${reference.number}`);
        return { number: reference.number, org: { id: reference.org.id }, owner: `owner of ${reference.number}` };
      },
    },
    Warehouse: {
      __resolveReference(reference: { id: string }) {
        calls.push(`Warehouse ${reference.id}`);
        return { id: reference.id };
      },
    },
    Media: {
      __resolveReference(reference: { id: string }) {
        calls.push(`Media ${reference.id}`);
        return { id: reference.id, plays: 7 };
      },
    },
    Mutation: {
      relabel(_: unknown, { id, label }: { id: string; label: string }) {
        const variant = variants.find((v) => v.id === id)!;
        variant.label = label;
        return variant;
      },
    },
  });
  t.after(() => harness.stop());
  return { harness, calls };
}

test('a composite key and another @key of the same type are two entries, both tagged with the entity and both invalidated by it', async (t) => {
  const { harness, calls } = await setup(t);
  const bySku = { representations: [{ __typename: 'Variant', sku: 'sku-1', region: 'eu' }] };
  const byId = { representations: [{ __typename: 'Variant', id: 'v1' }] };
  for (let i = 0; i < 2; i++) {
    assert.equal((await harness.run(query, bySku)).data._entities[0].label, 'Red');
    assert.equal((await harness.run(query, byId)).data._entities[0].label, 'Red');
  }
  assert.equal(calls.length, 2, calls.join('; '));
  const tags = harness.store.calls.set.flat().map((entry) => entry.tags);
  assert.equal(tags.length, 2);
  for (const entryTags of tags) assert.ok(entryTags.includes('Variant:sku-1:eu'), JSON.stringify(entryTags));
  await harness.run('mutation { relabel(id: "v1", label: "Blue") { id sku region label } }');
  assert.equal((await harness.run(query, bySku)).data._entities[0].label, 'Blue');
  assert.equal((await harness.run(query, byId)).data._entities[0].label, 'Blue');
  assert.equal(calls.length, 4);
});

test('a nested key is read through its object: one entry per (number, org.id), tagged Account:<number>:<org id>', async (t) => {
  const { harness, calls } = await setup(t);
  const reps = { representations: [7, 8, 7].map((number) => ({ __typename: 'Account', number, org: { id: 'o1' } })) };
  const first = await harness.run(query, reps);
  assert.deepEqual(
    first.data._entities.map((e: { owner: string }) => e.owner),
    ['owner of 7', 'owner of 8', 'owner of 7'],
  );
  // The repeated representation joined the first one's flight.
  assert.deepEqual(calls, ['Account 7', 'Account 8']);
  await harness.run(query, { representations: [{ __typename: 'Account', number: 7, org: { id: 'o2' } }] });
  assert.deepEqual(calls, ['Account 7', 'Account 8', 'Account 7']);
  await harness.run(query, reps);
  assert.equal(calls.length, 3);
  assert.ok(harness.store.calls.set.flat().some((entry) => entry.tags.includes('Account:7:o1')));
  assert.ok(harness.store.calls.set.flat().some((entry) => entry.tags.includes('Account:7:o2')));
});

test('a type whose only key is resolvable: false is never resolved from the cache', async (t) => {
  const { harness, calls } = await setup(t);
  const reps = { representations: [{ __typename: 'Warehouse', id: 'w1' }] };
  await harness.run(query, reps);
  await harness.run(query, reps);
  assert.deepEqual(calls, ['Warehouse w1', 'Warehouse w1']);
  assert.equal(harness.store.calls.get.length, 0);
  assert.equal(harness.store.calls.set.length, 0);
});

test('an @interfaceObject type is cached like an entity of its own name', async (t) => {
  const { harness, calls } = await setup(t);
  const reps = { representations: [{ __typename: 'Media', id: 'm1' }] };
  assert.equal((await harness.run(query, reps)).data._entities[0].plays, 7);
  assert.equal((await harness.run(query, reps)).data._entities[0].plays, 7);
  assert.deepEqual(calls, ['Media m1']);
  assert.ok(harness.store.calls.set.flat()[0]!.tags.includes('Media:m1'));
});

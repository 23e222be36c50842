/**
 * An entity interface (`interface Media @key(fields: "id")` with its own __resolveReference): a representation naming
 * the interface is cached under the interface's key and tagged with the concrete entity it resolved to, so a mutation
 * returning the concrete type invalidates it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSubgraphHarness, subgraphCacheControlTypeDefs } from '../../helpers/subgraph.js';

test('a representation of an entity interface is cached and tagged with the concrete entity', async (t) => {
  const media = new Map([
    ['b1', { __typename: 'Book', id: 'b1', title: 'Dune', pages: 412 }],
    ['m1', { __typename: 'Movie', id: 'm1', title: 'Alien', minutes: 117 }],
  ]);
  const calls: string[] = [];
  const harness = await createSubgraphHarness(
    /* GraphQL */ `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.12", import: ["@key"])
      ${subgraphCacheControlTypeDefs}
      interface Media @key(fields: "id") @cacheControl(maxAge: 30) {
        id: ID!
        title: String!
      }
      type Book implements Media @key(fields: "id") @cacheControl(maxAge: 30) {
        id: ID!
        title: String!
        pages: Int!
      }
      type Movie implements Media @key(fields: "id") @cacheControl(maxAge: 30) {
        id: ID!
        title: String!
        minutes: Int!
      }
      type Query {
        media(id: ID!): Media
      }
      type Mutation {
        retitle(id: ID!, title: String!): Media
      }
    `,
    {
      Media: {
        __resolveReference(reference: { id: string }) {
          calls.push(reference.id);
          const found = media.get(reference.id);
          return found ? { ...found } : null;
        },
      },
      Mutation: {
        retitle(_: unknown, { id, title }: { id: string; title: string }) {
          media.get(id)!.title = title;
          return { ...media.get(id)! };
        },
      },
    },
  );
  t.after(() => harness.stop());
  const query = /* GraphQL */ `
    query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        __typename
        ... on Media {
          id
          title
        }
      }
    }
  `;
  const reps = {
    representations: [
      { __typename: 'Media', id: 'b1' },
      { __typename: 'Media', id: 'm1' },
    ],
  };
  const first = await harness.run(query, reps);
  assert.equal(first.errors, undefined, JSON.stringify(first.errors));
  assert.deepEqual(first.data._entities, [
    { __typename: 'Book', id: 'b1', title: 'Dune' },
    { __typename: 'Movie', id: 'm1', title: 'Alien' },
  ]);
  assert.deepEqual((await harness.run(query, reps)).data, first.data);
  assert.deepEqual(calls, ['b1', 'm1']);
  const bookEntry = harness.store.calls.set.flat().find((entry) => entry.tags.includes('Book:b1'));
  assert.ok(bookEntry?.tags.includes('Media:b1'), JSON.stringify(bookEntry?.tags));
  await harness.run('mutation { retitle(id: "b1", title: "Dune Messiah") { id title } }');
  const after = await harness.run(query, reps);
  assert.equal(after.data._entities[0].title, 'Dune Messiah');
  assert.equal(after.data._entities[1].title, 'Alien');
  assert.deepEqual(calls, ['b1', 'm1', 'b1']);
});

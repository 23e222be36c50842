/**
 * Directives on an interface's field apply to every implementation: `Lister.items @listScope @cacheTag` scopes and
 * tags `Shelf.items`, which only says how long to cache.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApolloServer } from '@apollo/server';
import { cacheDirectivesTypeDefs, createCache } from '../../../src/index.js';
import { createApolloPlugin } from '../../../src/apollo/index.js';
import { assertNoErrors, createHarness } from '../../helpers/schema.js';

const typeDefs = /* GraphQL */ `
  interface Lister {
    items(kind: String): [Video!]! @listScope(filters: ["kind"]) @cacheTag(format: "Shelf:all")
  }
  type Shelf implements Lister {
    id: ID!
    items(kind: String): [Video!]! @cacheControl(maxAge: 300) @cacheTag(format: "Shelf:{$parent.id}:items")
  }
  type Video {
    id: ID!
    kind: String!
  }
  type Query {
    shelf: Shelf
  }
  type Mutation {
    createVideo(id: ID!, kind: String!): Video
  }
`;

function harness() {
  const videos = [
    { id: '1', kind: 'doc' },
    { id: '2', kind: 'cartoon' },
  ];
  const calls: string[] = [];
  const h = createHarness(typeDefs, {
    Query: { shelf: () => ({ id: 's' }) },
    Shelf: {
      items: (_: unknown, { kind }: { kind?: string }) => (calls.push(kind ?? 'all'), videos.filter((v) => !kind || v.kind === kind).map((v) => ({ ...v }))),
    },
    Mutation: {
      createVideo: (_: unknown, video: { id: string; kind: string }) => (videos.push({ ...video }), { ...video }),
    },
  });
  return { ...h, calls };
}

const LISTS = '{ shelf { docs: items(kind: "doc") { id } cartoons: items(kind: "cartoon") { id } } }';
const ids = (data: unknown) =>
  Object.fromEntries(Object.entries((data as { shelf: Record<string, { id: string }[]> }).shelf).map(([k, v]) => [k, v.map((x) => x.id)]));

test('creating a matching Video refreshes the list scoped on the interface field, and only that list', async () => {
  const h = harness();
  assertNoErrors(await h.run(LISTS));
  assertNoErrors(await h.run('mutation { createVideo(id: "3", kind: "doc") { id kind } }'));
  const after = await h.run(LISTS);
  assert.deepEqual(ids(after.data), { docs: ['1', '3'], cartoons: ['2'] });
  assert.deepEqual(h.calls, ['doc', 'cartoon', 'doc']);
});

test("invalidating the tag written on the interface field refreshes the implementation's lists", async () => {
  const h = harness();
  assertNoErrors(await h.run(LISTS));
  await h.cache.invalidate('Shelf:all');
  assertNoErrors(await h.run(LISTS));
  assert.deepEqual(h.calls, ['doc', 'cartoon', 'doc', 'cartoon']);
});

test("the implementation keeps its own tags beside the interface's; its own @cacheControl decides the TTL", () => {
  const h = harness();
  const plan = h.cache.instrumentSchema(h.schema);
  const field = plan.fields.get('Shelf.items')!;
  assert.deepEqual(
    field.tagTemplates.map((t) => t.format),
    ['Shelf:{$parent.id}:items', 'Shelf:all'],
  );
  assert.equal(field.listScope?.coordinate, 'Shelf.items');
  assert.equal(field.ttlMs, 300_000);
});

test("through Apollo Server with the plugin (operation tier on), the interface field's scope and tag refresh the list", async () => {
  const videos = [
    { id: '1', kind: 'doc' },
    { id: '2', kind: 'cartoon' },
  ];
  const calls: string[] = [];
  const cache = createCache();
  const apollo = new ApolloServer({
    typeDefs: [cacheDirectivesTypeDefs, typeDefs.replace('shelf: Shelf', 'shelf: Shelf @cacheControl(maxAge: 300)')],
    resolvers: {
      Query: { shelf: () => ({ id: 's' }) },
      Shelf: {
        items: (_: unknown, { kind }: { kind?: string }) => (calls.push(kind ?? 'all'), videos.filter((v) => !kind || v.kind === kind).map((v) => ({ ...v }))),
      },
      Mutation: { createVideo: (_: unknown, video: { id: string; kind: string }) => (videos.push({ ...video }), { ...video }) },
    },
    plugins: [createApolloPlugin(cache)],
  });
  await apollo.start();
  const run = async (query: string) => {
    const response = await apollo.executeOperation({ query });
    await cache.idle();
    return JSON.parse(JSON.stringify((response.body as { singleResult: { data: unknown } }).singleResult.data)) as unknown;
  };
  await run(LISTS);
  await run(LISTS);
  assert.deepEqual(calls, ['doc', 'cartoon'], 'the second request was answered from the cache');
  await run('mutation { createVideo(id: "3", kind: "doc") { id kind } }');
  assert.deepEqual(ids(await run(LISTS)), { docs: ['1', '3'], cartoons: ['2'] });
  await cache.invalidate('Shelf:all');
  await run(LISTS);
  assert.deepEqual(calls, ['doc', 'cartoon', 'doc', 'doc', 'cartoon']);
  await apollo.stop();
});

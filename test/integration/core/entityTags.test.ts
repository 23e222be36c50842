/** Tags are derived from what resolvers return, on schemas other than the shop: interfaces, unions, composite keys. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoErrors, createHarness } from '../../helpers/schema.js';

const typeDefs = /* GraphQL */ `
  directive @key(fields: String!) repeatable on OBJECT | INTERFACE
  interface Node {
    id: ID!
  }
  type Book implements Node @cacheControl(maxAge: 60) {
    id: ID!
    title: String!
    author: Author
  }
  type Author implements Node {
    id: ID!
    name: String!
  }
  type Variant @key(fields: "sku region") @cacheTag(format: "Sku:{$key.sku}") {
    sku: String!
    region: String!
    price: Int
  }
  union SearchResult = Book | Author
  type Query {
    node(id: ID!): Node @cacheControl(maxAge: 60)
    search(q: String!): [SearchResult!]! @cacheControl(maxAge: 60)
    variant(sku: String!, region: String!): Variant @cacheControl(maxAge: 60)
    anonymousAuthor: Author @cacheControl(maxAge: 60)
  }
  type Mutation {
    renameAuthor(id: ID!, name: String!): Author
  }
`;

function harness() {
  const calls: Record<string, number> = {};
  const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);
  const authors: Record<string, { id: string; name: string }> = { '7': { id: '7', name: 'Le Guin' }, '8': { id: '8', name: 'Herbert' } };
  const h = createHarness(typeDefs, {
    Node: { __resolveType: (value: { title?: string }) => (value.title ? 'Book' : 'Author') },
    SearchResult: { __resolveType: (value: { title?: string }) => (value.title ? 'Book' : 'Author') },
    Query: {
      node: (_: unknown, { id }: { id: string }) => (
        count('node'),
        id === '1' ? { id: '1', title: 'Earthsea', author: { ...authors['7'] } } : { ...authors[id] }
      ),
      search: () => (count('search'), [{ id: '1', title: 'Earthsea', author: { ...authors['7'] } }, { ...authors['8'] }]),
      variant: (_: unknown, args: { sku: string; region: string }) => (count('variant'), { ...args, price: 10 }),
      anonymousAuthor: () => (count('anonymousAuthor'), { name: 'Anonymous' }),
    },
    Mutation: {
      renameAuthor: (_: unknown, { id, name }: { id: string; name: string }) => {
        authors[id]!.name = name;
        return { ...authors[id] };
      },
    },
  });
  return { ...h, calls };
}

const setTags = (h: ReturnType<typeof harness>, prefix: string) =>
  h.store.calls.set
    .flat()
    .filter((e) => e.key.startsWith(prefix))
    .map((e) => e.tags);

test('union members and their nested entities are tagged, with ancestors', async () => {
  const h = harness();
  assertNoErrors(await h.run(`{ search(q: "x") { ... on Book { title author { name } } ... on Author { name } } }`));
  assert.deepEqual(setTags(h, 'Query.search'), [['Book', 'Book:1', 'Author', 'Author:7', 'Author:8']]);
  await h.run(`mutation { renameAuthor(id: "7", name: "Ursula") { id } }`);
  const after = await h.run(`{ search(q: "x") { ... on Book { title author { name } } } }`);
  assert.equal(h.calls.search, 2, 'the rename of an author nested in a book invalidated the search');
  assert.equal((after.data?.search as { author: { name: string } }[])[0]!.author.name, 'Ursula');
});

test('interfaces resolve their concrete type through resolveType', async () => {
  const h = harness();
  await h.run(`{ node(id: "8") { id } }`);
  assert.deepEqual(setTags(h, 'Query.node'), [['Author', 'Author:8']]);
});

test('composite keys from Federation @key, and type-level @cacheTag with {$key...}', async () => {
  const h = harness();
  await h.run(`{ variant(sku: "s-1", region: "eu") { price } }`);
  assert.deepEqual(setTags(h, 'Query.variant'), [['Variant', 'Variant:s-1', 'Variant:s-1:eu', 'Sku', 'Sku:s-1']]);
  await h.cache.invalidate('Sku:s-1');
  await h.run(`{ variant(sku: "s-1", region: "eu") { price } }`);
  assert.equal(h.calls.variant, 2);
});

test('an entity returned without its key is served uncached, with a warning', async () => {
  const h = harness();
  await h.run(`{ anonymousAuthor { name } }`);
  await h.run(`{ anonymousAuthor { name } }`);
  assert.equal(h.calls.anonymousAuthor, 2);
  assert.deepEqual(h.warnings, [
    '[cachetag] Query.anonymousAuthor returned a value of type Author without its key fields (id) in the raw value, so it cannot be tagged and was served uncached. Include the key fields in what the resolver returns.',
  ]);
});

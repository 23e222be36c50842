/**
 * A mutation returning an interface whose `__resolveType` is async invalidates the entity it returns (the engine
 * awaits the type, as graphql-js does), on the memory store and on Redis, in both tiers; when `__resolveType` throws,
 * the write still invalidates its `{$args}` tags and every possible type's entity tag for the returned key.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { createApolloHarness } from '../../helpers/apollo.js';
import { connectOrSkip } from '../../helpers/redis.js';
import { openStore } from '../redis/support.js';
import type { Store } from '../../../src/index.js';

const typeDefs = /* GraphQL */ `
  interface Item {
    id: ID!
    title: String!
  }
  type Book implements Item @cacheControl(maxAge: 300) {
    id: ID!
    title: String!
  }
  type Magazine implements Item @cacheControl(maxAge: 300) {
    id: ID!
    title: String!
  }
  type Query {
    book(id: ID!): Book
    magazine(id: ID!): Magazine
    titles(shelf: ID!): [String!]! @cacheControl(maxAge: 300) @cacheTag(format: "Shelf:{$args.shelf}")
  }
  type Mutation {
    rename(id: ID!, title: String!, shelf: ID!): Item @invalidates(format: "Shelf:{$args.shelf}")
  }
`;

function app(resolveType: (value: { kind: string }) => Promise<string>) {
  const rows = new Map<string, { kind: string; id: string; title: string }>([
    ['1', { kind: 'book', id: '1', title: 'Old name' }],
    ['2', { kind: 'magazine', id: '2', title: 'Old issue' }],
  ]);
  const calls = { book: 0, titles: 0 };
  return {
    calls,
    resolvers: {
      Item: { __resolveType: resolveType },
      Query: {
        book: (_: unknown, { id }: { id: string }) => (calls.book++, { ...rows.get(id)! }),
        magazine: (_: unknown, { id }: { id: string }) => ({ ...rows.get(id)! }),
        titles: () => (calls.titles++, [...rows.values()].map((r) => r.title)),
      },
      Mutation: {
        rename: (_: unknown, { id, title }: { id: string; title: string }) => {
          rows.get(id)!.title = title;
          return { ...rows.get(id)! };
        },
      },
    },
  };
}

const asyncType = async (value: { kind: string }) => {
  await new Promise((resolve) => setImmediate(resolve));
  return value.kind === 'book' ? 'Book' : 'Magazine';
};

async function renameIsSeen(t: TestContext, store?: Store) {
  const { calls, resolvers } = app(asyncType);
  const h = await createApolloHarness(typeDefs, resolvers, store ? { store } : {});
  t.after(() => h.stop());
  const read = async () => ((await h.run(`{ book(id: 1) { title } }`)).data?.book as { title: string }).title;
  assert.equal(await read(), 'Old name');
  assert.equal(await read(), 'Old name');
  assert.equal(calls.book, 1, 'the second read is served from the cache');
  const renamed = await h.run(`mutation { rename(id: 1, title: "New name", shelf: 9) { __typename title } }`);
  assert.deepEqual({ ...(renamed.data?.rename as object) }, { __typename: 'Book', title: 'New name' });
  assert.equal(await read(), 'New name', 'both tiers serve the new name after the rename');
  assert.equal(h.warnings.filter((w) => w.includes('could not be determined')).length, 0, h.warnings.join('\n'));
}

test('an async __resolveType on the mutation result: the renamed Book is invalidated (memory store)', async (t) => {
  await renameIsSeen(t);
});

test('an async __resolveType on the mutation result: the renamed Book is invalidated (Redis)', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  await renameIsSeen(t, await openStore(t, redis));
});

test('a throwing __resolveType: the write still invalidates its {$args} tags and every possible type with that key', async (t) => {
  const { calls, resolvers } = app(async () => {
    throw new Error('type lookup failed');
  });
  const h = await createApolloHarness(typeDefs, resolvers);
  t.after(() => h.stop());
  await h.run(`{ titles(shelf: 9) }`);
  await h.run(`{ book(id: 1) { title } }`);
  await h.run(`{ magazine(id: 2) { title } }`);
  const renamed = await h.run(`mutation { rename(id: 1, title: "New name", shelf: 9) { title } }`, undefined, { allowErrors: true });
  assert.ok(renamed.errors?.length, 'graphql-js reports the failed type resolution');
  assert.deepEqual((await h.run(`{ titles(shelf: 9) }`)).data?.titles, ['New name', 'Old issue']);
  assert.equal(calls.titles, 2);
  assert.equal(((await h.run(`{ book(id: 1) { title } }`)).data?.book as { title: string }).title, 'New name');
});

test('a mutation result that throws while it is read for tags still invalidates every type it could be', async (t) => {
  const { calls, resolvers } = app(asyncType);
  const rename = resolvers.Mutation.rename;
  resolvers.Mutation.rename = (parent, args) => {
    const row = rename(parent, args);
    // Listing its properties throws (a throwing accessor alone is skipped, and one on a scalar field is never read).
    return new Proxy(
      { ...row },
      {
        ownKeys() {
          throw new Error('lazy field failed');
        },
      },
    );
  };
  const h = await createApolloHarness(typeDefs, resolvers);
  t.after(() => h.stop());
  await h.run(`{ book(id: 1) { title } }`);
  const renamed = await h.run(`mutation { rename(id: 1, title: "New name", shelf: 9) { id } }`);
  assert.equal(renamed.errors, undefined);
  assert.equal(((await h.run(`query Again { book(id: 1) { title } }`)).data?.book as { title: string }).title, 'New name');
  assert.equal(calls.book, 2);
  assert.ok(
    h.warnings.some((w) => w.includes('invalidated every Book, Magazine instead')),
    h.warnings.join('\n'),
  );
});

/**
 * Apollo's rule for scalar fields (they inherit their parent's policy) in the
 * operation tier: a computed scalar does not make a query ineligible; the
 * stored response depends on the parent's tags and the field's own @cacheTag.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApolloServer } from '@apollo/server';
import { cacheDirectivesTypeDefs, createCache } from '../../../src/index.js';
import { createApolloPlugin } from '../../../src/apollo/index.js';

const typeDefs = /* GraphQL */ `
  type Query {
    book(id: ID!): Book
  }
  type Mutation {
    renameBook(id: ID!, title: String!): Book
    addReview(bookId: ID!): Boolean @invalidates(format: "Book:{$args.bookId}:reviews")
  }
  type Book @cacheControl(maxAge: 60) {
    id: ID!
    title: String!
    shout: String!
    reviewCount: Int! @cacheTag(format: "Book:{$parent.id}:reviews")
    secret: String! @cacheControl(maxAge: 0)
  }
`;

async function server() {
  const books: Record<string, { id: string; title: string; reviews: number }> = { '1': { id: '1', title: 'Dune', reviews: 0 } };
  const calls = { book: 0 };
  const cache = createCache();
  const apollo = new ApolloServer({
    typeDefs: [cacheDirectivesTypeDefs, typeDefs],
    resolvers: {
      Query: { book: (_: unknown, { id }: { id: string }) => (calls.book++, { id, title: books[id]!.title }) },
      Mutation: {
        renameBook: (_: unknown, { id, title }: { id: string; title: string }) => ((books[id]!.title = title), { id, title }),
        addReview: (_: unknown, { bookId }: { bookId: string }) => (books[bookId]!.reviews++, true),
      },
      Book: {
        shout: (book: { title: string }) => `${book.title}!`,
        reviewCount: (book: { id: string }) => books[book.id]!.reviews,
        secret: () => 'nonce',
      },
    },
    plugins: [createApolloPlugin(cache, { debug: true })],
  });
  await apollo.start();
  const run = async (query: string) => {
    const response = await apollo.executeOperation({ query });
    await cache.idle();
    const result = (response.body as { singleResult: { data: unknown; extensions?: { cachetag?: { operation?: { outcome: string; reason?: string } } } } })
      .singleResult;
    return { data: JSON.parse(JSON.stringify(result.data)), operation: result.extensions?.cachetag?.operation };
  };
  return { run, calls };
}

test('a computed scalar inherits: the response is stored and depends on its parent', async () => {
  const { run, calls } = await server();
  const query = `{ book(id: "1") { title shout reviewCount } }`;
  assert.equal((await run(query)).operation?.outcome, 'miss');
  const hit = await run(query);
  assert.deepEqual(hit.data, { book: { title: 'Dune', shout: 'Dune!', reviewCount: 0 } });
  assert.equal(hit.operation?.outcome, 'hit');
  assert.deepEqual((hit.operation as unknown as { tags: string[] }).tags, ['Book:1', 'Book:1:reviews']);
  assert.equal(calls.book, 1);
  await run(`mutation { renameBook(id: "1", title: "Emma") { id title } }`);
  assert.deepEqual((await run(query)).data, { book: { title: 'Emma', shout: 'Emma!', reviewCount: 0 } });
});

test("an inheriting scalar's own @cacheTag is part of the stored response's dependencies", async () => {
  const { run } = await server();
  const query = `{ book(id: "1") { reviewCount } }`;
  await run(query);
  assert.equal((await run(query)).operation?.outcome, 'hit');
  await run(`mutation { addReview(bookId: "1") }`);
  const after = await run(query);
  assert.equal(after.operation?.reason, 'stale');
  assert.deepEqual(after.data, { book: { reviewCount: 1 } });
});

test('a scalar with an explicit maxAge: 0 keeps the operation out of the tier', async () => {
  const { run } = await server();
  const result = await run(`{ book(id: "1") { secret } }`);
  assert.deepEqual(result.operation, { outcome: 'bypass', reason: 'Book.secret has a resolver and is not cached' });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoErrors, createHarness } from '../../helpers/schema.js';

const typeDefs = /* GraphQL */ `
  type Query {
    book(id: ID!): Book @cacheControl(maxAge: 60)
    maybeBook(id: ID!): Book @cacheControl(maxAge: 60)
    nullableBook(id: ID!): Book @cacheControl(maxAge: 60) @cacheNull
    classy: Book @cacheControl(maxAge: 60)
    failing: Book @cacheControl(maxAge: 60)
  }
  type Book {
    id: ID!
    title: String!
    tags: [String!]!
    shout: String!
  }
`;

class BookRecord {
  constructor(
    readonly id: string,
    readonly title: string,
  ) {}
  get tags() {
    return ['classic'];
  }
}

function harness() {
  const calls: Record<string, number> = {};
  const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);
  const h = createHarness(typeDefs, {
    Query: {
      book: (_: unknown, { id }: { id: string }) => (count('book'), { id, title: 'Dune', tags: ['sf'] }),
      maybeBook: () => (count('maybeBook'), null),
      nullableBook: () => (count('nullableBook'), null),
      classy: () => (count('classy'), new BookRecord('9', 'Emma')),
      failing: () => (count('failing'), new Error('not found')),
    },
    Book: {
      // A resolver that mutates its parent: with a shared cached object, every hit would see the previous one's edits.
      shout: (book: { title: string; tags: string[] }) => {
        book.tags.push('mutated');
        book.title = book.title.toUpperCase();
        return `${book.title}!`;
      },
    },
  });
  return { ...h, calls };
}

test('a cached value handed to one request cannot be changed by another', async () => {
  const h = harness();
  const first = await h.run(`{ book(id: "1") { title tags shout } }`);
  const second = await h.run(`{ book(id: "1") { title tags shout } }`);
  const third = await h.run(`{ book(id: "1") { title tags shout } }`);
  assertNoErrors(third);
  assert.equal(h.calls.book, 1);
  assert.deepEqual(second.data, first.data);
  assert.deepEqual(third.data, first.data);
});

test('null is not cached unless the field asks for it with @cacheNull', async () => {
  const h = harness();
  await h.run(`{ maybeBook(id: "1") { id } }`);
  await h.run(`{ maybeBook(id: "1") { id } }`);
  assert.equal(h.calls.maybeBook, 2);
  await h.run(`{ nullableBook(id: "1") { id } }`);
  const again = await h.run(`{ nullableBook(id: "1") { id } }`);
  assert.equal(h.calls.nullableBook, 1);
  assert.deepEqual(JSON.parse(JSON.stringify(again.data)), { nullableBook: null });
});

test('a class instance is served uncached, with one warning that names the field', async () => {
  const h = harness();
  const first = await h.run(`{ classy { id title tags } }`);
  await h.run(`{ classy { id title tags } }`);
  assert.deepEqual(JSON.parse(JSON.stringify(first.data)), { classy: { id: '9', title: 'Emma', tags: ['classic'] } });
  assert.equal(h.calls.classy, 2);
  assert.equal(h.store.calls.set.length, 0);
  assert.deepEqual(h.warnings, [
    '[cachetag] Query.classy returned a value that cachetag cannot cache: the value holds an instance of BookRecord. Return plain objects, arrays and scalars (Dates and Buffers are fine); the value was served uncached.',
  ]);
});

test('errors are never cached', async () => {
  const h = harness();
  const first = await h.run(`{ failing { id } }`);
  await h.run(`{ failing { id } }`);
  assert.equal(first.errors?.[0]?.message, 'not found');
  assert.equal(h.calls.failing, 2);
  assert.equal(h.store.calls.set.length, 0);
});

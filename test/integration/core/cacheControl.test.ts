/**
 * `createApolloPlugin(cache, { cacheControl: 'cachetag' })`: cachetag computes
 * each operation's cache policy once per document, so Apollo's cache-control
 * plugin (a hook on every field resolution) can be disabled. The header must
 * be the one Apollo's plugin sends, on every query shape Apollo's rules cover.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { parse } from 'graphql';
import { cacheDirectivesTypeDefs, createCache, staticCachePolicy } from '../../../src/index.js';
import { createApolloPlugin } from '../../../src/apollo/index.js';
import { buildSchema } from '../../helpers/schema.js';

const typeDefs = /* GraphQL */ `
  type Query {
    book(id: ID!): Book
    books: [Book!]! @cacheControl(maxAge: 30)
    me: User @cacheControl(maxAge: 10, scope: PRIVATE)
    search(text: String!): [SearchResult!]! @cacheControl(maxAge: 90)
    node(id: ID!): Node @cacheControl(maxAge: 120)
    version: String @cacheControl(maxAge: 300)
    uncached: String
    plainAuthor: Author
  }
  type Mutation {
    renameBook(id: ID!, title: String!): Book
  }
  interface Node {
    id: ID!
  }
  union SearchResult = Book | Author
  type Book implements Node @cacheControl(maxAge: 60) {
    id: ID!
    title: String!
    author: Author
    stock: Int! @cacheControl(maxAge: 5)
    related: Book @cacheControl(inheritMaxAge: true)
    draft: Draft
  }
  type Author implements Node @cacheControl(maxAge: 200) {
    id: ID!
    name: String!
    bio: Bio
  }
  type Bio {
    text: String!
  }
  type Draft @cacheControl(inheritMaxAge: true) {
    text: String!
  }
  type User @cacheControl(maxAge: 100) {
    id: ID!
    name: String!
  }
`;

const author = { __typename: 'Author', id: 'a1', name: 'Herbert', bio: { text: 'b' } };
const book = (id: string) => ({ __typename: 'Book', id, title: `Book ${id}`, author, stock: 3, related: null, draft: { text: 'd' } });
const resolvers = {
  Query: {
    book: (_: unknown, { id }: { id: string }) => (id === 'none' ? null : book(id)),
    books: () => [book('1'), book('2')],
    me: () => ({ id: 'u1', name: 'Ann' }),
    search: () => [book('1'), author],
    node: (_: unknown, { id }: { id: string }) => (id.startsWith('a') ? author : book(id)),
    version: () => '1.0',
    uncached: () => 'x',
    plainAuthor: () => author,
  },
  Mutation: { renameBook: (_: unknown, { id, title }: { id: string; title: string }) => ({ ...book(id), title }) },
  Node: { __resolveType: (value: { __typename: string }) => value.__typename },
  SearchResult: { __resolveType: (value: { __typename: string }) => value.__typename },
};

async function serverWith(plugins: (cache: ReturnType<typeof createCache>) => ApolloServerPlugin[]) {
  const cache = createCache({ sessionId: () => 'session-1' });
  const server = new ApolloServer({ typeDefs: [cacheDirectivesTypeDefs, typeDefs], resolvers, plugins: plugins(cache) });
  await server.start();
  return { cache, server };
}

async function headerOf(server: ApolloServer, query: string, variables?: Record<string, unknown>): Promise<string | undefined> {
  const response = await server.executeOperation({ query, ...(variables ? { variables } : {}) });
  return response.http.headers.get('cache-control');
}

const queries: Record<string, string> = {
  'type hint': '{ book(id: "1") { id title } }',
  'field hint shorter than the type': '{ book(id: "1") { id stock } }',
  'nested composite with its own hint': '{ book(id: "1") { title author { name } } }',
  'nested composite without hint': '{ book(id: "1") { author { bio { text } } } }',
  'inheritMaxAge field': '{ book(id: "1") { related { id } } }',
  'inheritMaxAge type': '{ book(id: "1") { draft { text } } }',
  'root field hint': '{ books { id title } }',
  'root scalar with hint': '{ version }',
  'root scalar without hint': '{ uncached }',
  'PRIVATE scope': '{ me { id name } }',
  'PRIVATE and PUBLIC together': '{ me { name } books { id } }',
  union: '{ search(text: "x") { ... on Book { title } ... on Author { name } } }',
  interface: '{ node(id: "a1") { id ... on Author { name } } }',
  fragments: 'query { book(id: "1") { ...B } } fragment B on Book { title author { name } }',
  'only __typename': '{ __typename }',
  'root field without hint returning an object': '{ plainAuthor { name } }',
  mutation: 'mutation { renameBook(id: "1", title: "T") { id title } }',
};

test("cacheControl: 'cachetag' sends the Cache-Control header Apollo's own plugin sends", async () => {
  const apollo = await serverWith((cache) => [createApolloPlugin(cache)]);
  const cachetag = await serverWith((cache) => [createApolloPlugin(cache, { cacheControl: 'cachetag' }), ApolloServerPluginCacheControlDisabled()]);
  try {
    const seen = new Set<string | undefined>();
    for (const [name, query] of Object.entries(queries)) {
      const expected = await headerOf(apollo.server, query);
      seen.add(expected);
      assert.equal(await headerOf(cachetag.server, query), expected, name);
      // Asked again (the operation tier may answer now), the header holds.
      assert.equal(await headerOf(cachetag.server, query), expected, `${name}, repeated`);
    }
    // The cases cover cacheable, private and uncacheable answers, so the comparison cannot pass vacuously.
    assert.ok(seen.has('no-store') && seen.has('max-age=60, public') && seen.has('max-age=10, private'), [...seen].join(' | '));
  } finally {
    await apollo.server.stop();
    await cachetag.server.stop();
  }
});

test("cacheControl: 'cachetag' with Apollo's plugin still installed gives the same header", async () => {
  const both = await serverWith((cache) => [createApolloPlugin(cache, { cacheControl: 'cachetag' })]);
  try {
    assert.equal(await headerOf(both.server, queries['field hint shorter than the type']!), 'max-age=5, public');
    assert.equal(await headerOf(both.server, queries['PRIVATE scope']!), 'max-age=10, private');
    assert.equal(await headerOf(both.server, queries['root scalar without hint']!), 'no-store');
  } finally {
    await both.server.stop();
  }
});

test('the static policy counts fields a null parent kept from resolving, so it is never longer than Apollo’s', async () => {
  const apollo = await serverWith((cache) => [createApolloPlugin(cache)]);
  const cachetag = await serverWith((cache) => [createApolloPlugin(cache, { cacheControl: 'cachetag' }), ApolloServerPluginCacheControlDisabled()]);
  try {
    const query = '{ book(id: "none") { stock } }';
    assert.equal(await headerOf(apollo.server, query), 'max-age=60, public');
    assert.equal(await headerOf(cachetag.server, query), 'max-age=5, public');
  } finally {
    await apollo.server.stop();
    await cachetag.server.stop();
  }
});

test("cacheControl: 'cachetag' sends no-store on errors and keeps a header a resolver already set", async () => {
  const cachetag = await serverWith((cache) => [
    // Runs its willSendResponse before cachetag's, as a plugin or resolver setting the header would.
    {
      async requestDidStart() {
        return {
          async willSendResponse({ request, response }) {
            if (request.variables?.mark) response.http.headers.set('cache-control', 'max-age=1, private');
          },
        };
      },
    },
    createApolloPlugin(cache, { cacheControl: 'cachetag' }),
    ApolloServerPluginCacheControlDisabled(),
  ]);
  try {
    assert.equal(await headerOf(cachetag.server, '{ book(id: "1") { nope } }'), 'no-store');
    assert.equal(await headerOf(cachetag.server, '{ version }', { mark: true }), 'max-age=1, private');
    assert.equal(await headerOf(cachetag.server, '{ version }', { mark: false }), 'max-age=300, public');
  } finally {
    await cachetag.server.stop();
  }
});

test('a stored response is answered on the fast path with the policy cachetag computed', async () => {
  const { cache, server } = await serverWith((c) => [createApolloPlugin(c, { cacheControl: 'cachetag' }), ApolloServerPluginCacheControlDisabled()]);
  try {
    const query = '{ book(id: "1") { id stock } }';
    assert.equal(await headerOf(server, query), 'max-age=5, public');
    await cache.idle();
    const stored = await cache.storedResponse({ query }, {});
    assert.ok(stored, 'the response was stored');
    assert.equal(stored.cacheControl, 'max-age=5, public');
  } finally {
    await server.stop();
  }
});

test('staticCachePolicy follows Apollo’s rules once per document', () => {
  const cache = createCache({ sessionId: () => 's' });
  const plan = cache.instrumentSchema(buildSchema(typeDefs, resolvers));
  const document = parse('{ book(id: "1") { title author { name } } me { id } }');
  const policy = staticCachePolicy(plan, document, undefined);
  assert.deepEqual(policy, { maxAge: 10, scope: 'PRIVATE' });
  assert.equal(staticCachePolicy(plan, document, undefined), policy, 'memoized by document');
  const twoOperations = parse('query A { version } query B { uncached }');
  assert.equal(staticCachePolicy(plan, twoOperations, undefined), undefined, 'ambiguous without an operation name');
  assert.deepEqual(staticCachePolicy(plan, twoOperations, 'A'), { maxAge: 300, scope: 'PUBLIC' });
  assert.deepEqual(staticCachePolicy(plan, twoOperations, 'B'), { maxAge: 0, scope: 'PUBLIC' });
});

test('createApolloPlugin rejects an unknown cacheControl option, naming it', () => {
  assert.throws(() => createApolloPlugin(createCache(), { cacheControl: 'fastly' as never }), /cacheControl.*'apollo' or 'cachetag'/);
});

/**
 * A field returning an interface or a union whose possible types include a PRIVATE type (`type Note
 * @cacheControl(scope: PRIVATE)`) holds per-user data whenever it resolves to that type: it is keyed by session in
 * both tiers, so one user's Note is never served to another. Found by the reliability isolation run (issue 16).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApolloHarness, type ApolloHarness } from '../../helpers/apollo.js';

const typeDefs = `
  interface Node { id: ID! }
  type Query {
    node(id: ID!): Node @cacheControl(maxAge: 300)
    feed: [FeedEntry!]! @cacheControl(maxAge: 300)
  }
  type Post implements Node @cacheControl(maxAge: 300) { id: ID! title: String! }
  type Note implements Node @cacheControl(maxAge: 300, scope: PRIVATE) { id: ID! owner: String! }
  union FeedEntry = Post | Note
`;
const note = (userId: string) => ({ __typename: 'Note', id: `note-${userId}`, owner: userId });
const resolvers = {
  Query: {
    node: (_: unknown, { id }: { id: string }, { userId }: { userId?: string }) =>
      id === 'note' ? (userId ? note(userId) : null) : { __typename: 'Post', id, title: `post ${id}` },
    feed: (_: unknown, __: unknown, { userId }: { userId?: string }) => [{ __typename: 'Post', id: 'p1', title: 'post p1' }, ...(userId ? [note(userId)] : [])],
  },
};

let harness: ApolloHarness;
before(async () => {
  harness = await createApolloHarness(typeDefs, resolvers, { cache: { sessionId: (context) => (context as { userId?: string }).userId } });
});
after(() => harness.stop());

const NODE = '{ node(id: "note") { id ... on Note { owner } } }';
const FEED = '{ feed { ... on Post { title } ... on Note { owner } } }';

for (const [name, query] of [
  ['an interface', NODE],
  ['a union list', FEED],
] as const) {
  test(`${name} resolving to a PRIVATE type is cached per user`, async () => {
    const alice = await harness.run(query, undefined, { context: { userId: 'alice' } });
    assert.match(JSON.stringify(alice.data), /"owner":"alice"/);
    for (let i = 0; i < 2; i++) {
      const bob = await harness.run(query, undefined, { context: { userId: 'bob' } });
      assert.doesNotMatch(JSON.stringify(bob.data), /alice/, `bob was served alice's note (${i === 0 ? 'field tier' : 'operation tier'})`);
      assert.match(JSON.stringify(bob.data), /"owner":"bob"/);
    }
    const fastPath = await harness.cache.storedResponse({ query }, { userId: 'bob' });
    assert.equal(fastPath, undefined, 'the fast path (PUBLIC responses only) has nothing for it');
  });
}

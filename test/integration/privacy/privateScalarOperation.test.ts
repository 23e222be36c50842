/**
 * Issue 18 B: a PRIVATE scalar under a PUBLIC cached field makes the operation per-session: the operation tier and
 * the fast path never answer one user's rating to another.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startPrivacyServer, type PrivacyContext } from '../../helpers/privacyServer.js';

const typeDefs = /* GraphQL */ `
  type Query {
    product(id: ID!): Product @cacheControl(maxAge: 60)
  }
  type Product {
    id: ID!
    name: String!
    myRating: Int @cacheControl(scope: PRIVATE)
  }
`;
const ratings: Record<string, number> = { alice: 5, bob: 2 };
const resolvers = {
  Query: { product: (_: unknown, { id }: { id: string }) => ({ id, name: `Product ${id}` }) },
  Product: { myRating: (_: unknown, __: unknown, ctx: PrivacyContext) => (ctx.user ? ratings[ctx.user] : null) },
};
const QUERY = '{ product(id: "p1") { id name myRating } }';

test('a PRIVATE scalar under a PUBLIC cached field: each user gets their own rating, the fast path answers none', async () => {
  const server = await startPrivacyServer(typeDefs, resolvers);
  try {
    for (const user of ['alice', 'bob', undefined, 'alice']) {
      const body = await server.request(QUERY, user);
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      assert.equal((body.data!.product as { myRating: number | null }).myRating, user ? ratings[user] : null, `as ${user ?? 'no session'}`);
    }
    assert.equal(await server.cache.storedResponse({ query: QUERY }), undefined);
  } finally {
    await server.stop();
  }
});

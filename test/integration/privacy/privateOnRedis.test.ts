/**
 * Issues 17 and 18 A on Redis: the privacy rules live above the store, and hold with a real Redis behind both tiers
 * (PRIVATE possible type, dynamic hint, non-cached PRIVATE ancestor), over real HTTP.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GraphQLResolveInfo } from 'graphql';
import { connectOrSkip } from '../../helpers/redis.js';
import { startPrivacyServer, type PrivacyContext } from '../../helpers/privacyServer.js';
import { openStore, patientDeadlines } from '../redis/support.js';

const typeDefs = /* GraphQL */ `
  interface Node {
    id: ID!
  }
  type Secret implements Node @cacheControl(maxAge: 60, scope: PRIVATE) {
    id: ID!
    owner: String!
  }
  type Open implements Node @cacheControl(maxAge: 60) {
    id: ID!
  }
  type Viewer {
    cart: [String!] @cacheControl(maxAge: 60)
  }
  type Query {
    node(id: ID!): Node @cacheControl(maxAge: 60)
    hinted: String @cacheControl(maxAge: 60)
    viewer: Viewer @cacheControl(scope: PRIVATE)
  }
`;
type Hinted = GraphQLResolveInfo & { cacheControl: { setCacheHint(hint: { scope: 'PRIVATE' }): void } };
const resolvers = {
  Query: {
    node: (_: unknown, { id }: { id: string }, ctx: PrivacyContext) => ({ __typename: 'Secret', id, owner: `u:${ctx.user}` }),
    hinted: (_: unknown, __: unknown, ctx: PrivacyContext, info: Hinted) => {
      info.cacheControl.setCacheHint({ scope: 'PRIVATE' });
      return `u:${ctx.user}`;
    },
    viewer: () => ({}),
  },
  Viewer: { cart: (_: unknown, __: unknown, ctx: PrivacyContext) => [`u:${ctx.user}`] },
};

for (const operationCache of [false, true]) {
  test(`on Redis, no user gets another's PRIVATE data (operationCache: ${operationCache})`, async (t) => {
    const redis = await connectOrSkip(t);
    if (!redis) return;
    const store = await openStore(t, redis, patientDeadlines);
    const server = await startPrivacyServer(typeDefs, resolvers, { operationCache }, { store });
    try {
      for (const query of ['{ node(id: "s1") { id ... on Secret { owner } } }', '{ hinted }', '{ viewer { cart } }']) {
        for (const user of ['alice', 'bob', undefined, 'alice', 'bob', undefined]) {
          const body = await server.request(query, user);
          assert.equal(body.errors, undefined, JSON.stringify(body.errors));
          for (const marker of JSON.stringify(body.data).match(/u:\w+/g) ?? []) assert.equal(marker, `u:${user}`, `${query} as ${user ?? 'no session'}`);
        }
        assert.equal(await server.cache.storedResponse({ query }), undefined);
      }
    } finally {
      await server.stop();
    }
  });
}

/**
 * Issue 18 A: PRIVATE on a field or type that is not cached keys the cached fields below it by session (or
 * bypasses them without one). Over real HTTP, field tier alone and both tiers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startPrivacyServer, type PrivacyContext } from '../../helpers/privacyServer.js';

const onField = /* GraphQL */ `
  type Query {
    viewer: Viewer @cacheControl(scope: PRIVATE)
  }
  type Viewer {
    cart: Cart @cacheControl(maxAge: 60)
  }
  type Cart {
    items: [String!]!
  }
`;
const onType = /* GraphQL */ `
  type Query {
    viewer: Viewer
  }
  type Viewer @cacheControl(scope: PRIVATE) {
    profile: Profile
  }
  type Profile {
    cart: Cart @cacheControl(maxAge: 60)
  }
  type Cart {
    items: [String!]!
  }
`;

const cart = (_: unknown, __: unknown, ctx: PrivacyContext) => ({ items: [`item of ${ctx.user}`] });

for (const [where, typeDefs, query, resolvers] of [
  ['a non-cached PRIVATE field', onField, '{ viewer { cart { items } } }', { Query: { viewer: () => ({}) }, Viewer: { cart } }],
  ['a PRIVATE type two levels up', onType, '{ viewer { profile { cart { items } } } }', { Query: { viewer: () => ({ profile: {} }) }, Profile: { cart } }],
  ['an aliased non-cached PRIVATE field', onField, '{ me: viewer { basket: cart { items } } }', { Query: { viewer: () => ({}) }, Viewer: { cart } }],
] as const) {
  for (const [tiers, pluginOptions] of [
    ['the field tier alone', { operationCache: false }],
    ['both tiers', {}],
  ] as const) {
    test(`a cached field below ${where} is keyed by session (${tiers})`, async () => {
      const server = await startPrivacyServer(typeDefs, resolvers, pluginOptions);
      try {
        for (const user of ['alice', 'bob', undefined, 'alice']) {
          const body = await server.request(query, user);
          assert.equal(body.errors, undefined, JSON.stringify(body.errors));
          assert.match(JSON.stringify(body.data), new RegExp(`item of ${user}`), `as ${user ?? 'no session'}`);
        }
        assert.equal(await server.cache.storedResponse({ query }), undefined);
      } finally {
        await server.stop();
      }
    });
  }
}

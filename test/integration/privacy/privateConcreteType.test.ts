/**
 * Issue 17, part 1: PRIVATE on the concrete type behind an interface or a union, at any depth of the selection.
 * Each user (alice, bob, no session) must get their own secret, over real HTTP, with the field tier alone, with
 * both tiers, and from the HTTP fast path.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startPrivacyServer, type PrivacyContext } from '../../helpers/privacyServer.js';

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
    title: String!
  }
  union Thing = Secret | Open
  type Wrapper {
    inner(id: ID!): Node @cacheControl(maxAge: 60)
  }
  type Query {
    node(id: ID!): Node @cacheControl(maxAge: 60)
    thing(id: ID!): Thing @cacheControl(maxAge: 60)
    wrapper: Wrapper @cacheControl(maxAge: 60)
  }
`;

const valueOf = (id: string, ctx: PrivacyContext) =>
  id.startsWith('s') ? { __typename: 'Secret', id, owner: `secret of ${ctx.user}` } : { __typename: 'Open', id, title: `open ${id}` };
const resolvers = {
  Query: {
    node: (_: unknown, { id }: { id: string }, ctx: PrivacyContext) => valueOf(id, ctx),
    thing: (_: unknown, { id }: { id: string }, ctx: PrivacyContext) => valueOf(id, ctx),
    wrapper: () => ({ kind: 'wrapper' }),
  },
  Wrapper: { inner: (_: unknown, { id }: { id: string }, ctx: PrivacyContext) => valueOf(id, ctx) },
};

const queries = {
  interface: ['{ node(id: "s1") { id ... on Secret { owner } } }', (d: Record<string, unknown>) => (d.node as { owner: string }).owner],
  union: ['{ thing(id: "s1") { ... on Secret { id owner } ... on Open { title } } }', (d: Record<string, unknown>) => (d.thing as { owner: string }).owner],
  nested: [
    '{ wrapper { inner(id: "s1") { id ... on Secret { owner } } } }',
    (d: Record<string, unknown>) => ((d.wrapper as { inner: { owner: string } }).inner as { owner: string }).owner,
  ],
} as const;

for (const [tiers, pluginOptions] of [
  ['the field tier alone', { operationCache: false }],
  ['both tiers', {}],
  ["both tiers, cacheControl: 'cachetag'", { cacheControl: 'cachetag' }],
] as const) {
  for (const [shape, [query, read]] of Object.entries(queries)) {
    test(`PRIVATE behind ${shape === 'nested' ? 'an interface one level down' : `a${shape === 'interface' ? 'n' : ''} ${shape}`}: each user gets their own secret (${tiers})`, async () => {
      const server = await startPrivacyServer(typeDefs, resolvers, pluginOptions);
      try {
        for (const user of ['alice', 'bob', undefined, 'alice', 'bob', undefined]) {
          const body = await server.request(query, user);
          assert.equal(body.errors, undefined, JSON.stringify(body.errors));
          assert.equal(read(body.data!), `secret of ${user}`, `as ${user ?? 'no session'}`);
          // Apollo's rules read only the declared type (Node, Thing: PUBLIC); the header must not let a CDN share it.
          assert.equal(body.cacheControl, 'max-age=60, private', `Cache-Control as ${user ?? 'no session'}`);
        }
        assert.equal(await server.cache.storedResponse({ query }), undefined, 'the fast path never answers a PRIVATE-derived response');
      } finally {
        await server.stop();
      }
    });
  }
}

test('an Open node stays shared: PRIVATE on a possible type keys the field by session but a user still hits their own entry', async () => {
  let calls = 0;
  const server = await startPrivacyServer(typeDefs, {
    ...resolvers,
    Query: { ...resolvers.Query, node: (_: unknown, { id }: { id: string }, ctx: PrivacyContext) => (calls++, valueOf(id, ctx)) },
  });
  try {
    await server.request('{ node(id: "s1") { id ... on Secret { owner } } }', 'alice');
    await server.request('{ node(id: "s1") { id ... on Secret { owner } } }', 'alice');
    assert.equal(calls, 1, 'alice hits her own entry');
  } finally {
    await server.stop();
  }
});

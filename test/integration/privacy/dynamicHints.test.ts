/**
 * Issue 17, part 2: a dynamic hint that narrows the policy (`info.cacheControl.setCacheHint({ scope: 'PRIVATE' })` or
 * `{ maxAge: 0 }`) while a cached field resolves keeps the result out of every shared entry, and from then on the key
 * is treated per the narrowed policy. Over real HTTP, field tier alone, both tiers, and the fast path.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GraphQLResolveInfo } from 'graphql';
import { createMemoryStore } from '../../../src/index.js';
import { startPrivacyServer, type PrivacyContext } from '../../helpers/privacyServer.js';

const typeDefs = /* GraphQL */ `
  type Article {
    id: ID!
    body: String!
    note: String
  }
  type Query {
    article(id: ID!): Article @cacheControl(maxAge: 60)
  }
`;

type Hinted = GraphQLResolveInfo & { cacheControl: { setCacheHint(hint: { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' }): void } };

function articleResolvers(hint: { maxAge?: number; scope?: 'PRIVATE' }, calls: { n: number }) {
  return {
    Query: {
      article: (_: unknown, { id }: { id: string }, ctx: PrivacyContext, info: Hinted) => {
        calls.n++;
        info.cacheControl.setCacheHint(hint);
        return { id, body: `for ${ctx.user}` };
      },
    },
  };
}

const QUERY = '{ article(id: "a1") { id body } }';

for (const [tiers, pluginOptions] of [
  ['the field tier alone', { operationCache: false }],
  ['both tiers', {}],
] as const) {
  test(`setCacheHint({ scope: 'PRIVATE' }) keeps the value per user, and later requests are keyed by session (${tiers})`, async () => {
    const calls = { n: 0 };
    const server = await startPrivacyServer(typeDefs, articleResolvers({ scope: 'PRIVATE' }, calls), pluginOptions);
    try {
      for (const user of ['alice', 'bob', undefined, 'alice', 'bob', undefined]) {
        const body = await server.request(QUERY, user);
        assert.equal(body.errors, undefined, JSON.stringify(body.errors));
        assert.equal((body.data!.article as { body: string }).body, `for ${user}`, `as ${user ?? 'no session'}`);
      }
      // alice's first call narrowed the key (stored nowhere), her second filled her own entry; bob filled his on his
      // first request and hit it on his second; without a session it runs every time.
      assert.equal(calls.n, 5);
      assert.equal(await server.cache.storedResponse({ query: QUERY }), undefined, 'the fast path never answers it');
    } finally {
      await server.stop();
    }
  });

  test(`setCacheHint({ maxAge: 0 }) keeps the value out of the cache, and later requests are not cached (${tiers})`, async () => {
    const calls = { n: 0 };
    const server = await startPrivacyServer(typeDefs, articleResolvers({ maxAge: 0 }, calls), pluginOptions);
    try {
      for (const user of ['alice', 'bob', undefined, 'alice']) {
        const body = await server.request(QUERY, user);
        assert.equal((body.data!.article as { body: string }).body, `for ${user}`, `as ${user ?? 'no session'}`);
      }
      assert.equal(calls.n, 4);
      assert.equal(await server.cache.storedResponse({ query: QUERY }), undefined);
    } finally {
      await server.stop();
    }
  });
}

test('a hint given by a field below the cached one makes the operation PRIVATE: the operation tier does not store it under a PUBLIC key', async () => {
  const server = await startPrivacyServer(typeDefs, {
    Query: { article: (_: unknown, { id }: { id: string }) => ({ id, body: 'shared' }) },
    Article: {
      note: (_: unknown, __: unknown, ctx: PrivacyContext, info: Hinted) => {
        info.cacheControl.setCacheHint({ scope: 'PRIVATE' });
        return `note of ${ctx.user}`;
      },
    },
  });
  const query = '{ article(id: "a1") { id body note } }';
  try {
    for (const user of ['alice', 'bob', undefined]) {
      const body = await server.request(query, user);
      assert.equal((body.data!.article as { note: string }).note, `note of ${user}`, `as ${user ?? 'no session'}`);
    }
    assert.equal(await server.cache.storedResponse({ query }), undefined);
  } finally {
    await server.stop();
  }
});

test("with cacheControl: 'cachetag' a resolver that gives a dynamic hint gets a clear error, and nothing is stored", async () => {
  const calls = { n: 0 };
  const server = await startPrivacyServer(typeDefs, articleResolvers({ scope: 'PRIVATE' }, calls), { cacheControl: 'cachetag' });
  try {
    const alice = await server.request(QUERY, 'alice');
    assert.match(alice.errors?.[0]?.message ?? '', /Query\.article.*dynamic cache hint.*cacheControl: 'cachetag'/);
    const bob = await server.request(QUERY, 'bob');
    assert.equal(calls.n, 2, 'nothing was stored for bob to hit');
    assert.ok(bob.errors?.length);
    assert.equal(await server.cache.storedResponse({ query: QUERY }), undefined);
  } finally {
    await server.stop();
  }
});

test("with cacheControl: 'cachetag' a scalar field's own resolver (whose results the operation tier stores) cannot give a hint either", async () => {
  const server = await startPrivacyServer(
    typeDefs,
    {
      Query: { article: (_: unknown, { id }: { id: string }) => ({ id, body: 'shared' }) },
      Article: {
        note: (_: unknown, __: unknown, ctx: PrivacyContext, info: Hinted) => {
          info.cacheControl.setCacheHint({ scope: 'PRIVATE' });
          return `note of ${ctx.user}`;
        },
      },
    },
    { cacheControl: 'cachetag' },
  );
  const query = '{ article(id: "a1") { id body note } }';
  try {
    for (const user of ['alice', 'bob']) {
      const body = await server.request(query, user);
      assert.match(body.errors?.[0]?.message ?? '', /Article\.note.*dynamic cache hint/);
      assert.notEqual((body.data?.article as { note: string | null } | undefined)?.note, 'note of alice', `as ${user}`);
    }
    assert.equal(await server.cache.storedResponse({ query }), undefined);
  } finally {
    await server.stop();
  }
});

test("a maxAge of 0 that Apollo's rules give without any dynamic hint (an unhinted object field) still lets the operation tier store the response", async () => {
  let calls = 0;
  const server = await startPrivacyServer(`${typeDefs} type Meta { words: Int } extend type Article { meta: Meta }`, {
    Query: { article: (_: unknown, { id }: { id: string }) => (calls++, { id, body: 'shared', meta: { words: 3 } }) },
  });
  const query = '{ article(id: "a1") { id meta { words } } }';
  try {
    const first = await server.request(query, 'alice');
    assert.equal(first.cacheControl, 'no-store', "Apollo's policy: maxAge 0");
    await server.request(query, 'bob');
    assert.equal(calls, 1);
    assert.ok(await server.cache.storedResponse({ query }), 'stored under the shared key');
  } finally {
    await server.stop();
  }
});

test('setCacheHint({ maxAge }) shorter than the static one shortens the entry’s life', async () => {
  let now = 1_000_000;
  const clock = { now: () => now };
  const calls = { n: 0 };
  const server = await startPrivacyServer(
    typeDefs,
    articleResolvers({ maxAge: 5 }, calls),
    { operationCache: false },
    {
      store: createMemoryStore({ clock }),
      clock,
    },
  );
  try {
    await server.request(QUERY, 'alice');
    await server.request(QUERY, 'bob');
    assert.equal(calls.n, 1, 'shared within its 5 s');
    now += 6_000;
    await server.request(QUERY, 'alice');
    assert.equal(calls.n, 2, 'expired after 5 s, not 60');
  } finally {
    await server.stop();
  }
});

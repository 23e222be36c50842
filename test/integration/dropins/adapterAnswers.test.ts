/**
 * The adapter contract's fast path on its own (what every integration calls): PRIVATE stored responses only with
 * `sessionIdFromRequest` and only the session's own; persisted queries only with the server's registry, a hash-only
 * one only once registered, and one sent with its text registered when answered; a failing context steps aside;
 * options checked at construction, naming the option.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { HeaderMap } from '@apollo/server';
import { createAdapter, requestHeader, type FastPathRequest } from '../../../src/index.js';
import { apolloPersistedQueries } from '../../../src/apollo/index.js';
import { shopApollo } from '../../helpers/integrationSuite.js';

const product = 'query Page($id: ID!) { product(id: $id) { name price } }';
const me = '{ me { id name } }';
const post = (body: unknown, headers: Record<string, string> = {}): FastPathRequest => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body,
});

async function warmShop() {
  const shop = shopApollo();
  await shop.apollo.start();
  const run = async (query: string, userId?: string) => {
    const response = await shop.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: 'POST',
        headers: new HeaderMap([['content-type', 'application/json']]),
        search: '',
        body: { query, ...(query === product ? { variables: { id: '42' } } : {}) },
      },
      context: async () => shop.context(userId),
    });
    assert.equal(response.status ?? 200, 200);
    await shop.cache.idle();
  };
  await run(product);
  await run(me, 'alice');
  return shop;
}

test('PRIVATE stored responses are answered only with sessionIdFromRequest, and only to their own session', async () => {
  const shop = await warmShop();
  try {
    const without = shop.plugin.adapter;
    assert.equal(await without.answer(post({ query: me }, { 'x-user-id': 'alice' })), undefined, 'no sessionIdFromRequest: the server answers');
    assert.ok(await without.answer(post({ query: product, variables: { id: '42' } })), 'PUBLIC ones still are');
    const withSession = shop.plugin.adapter.with({ sessionIdFromRequest: (request) => requestHeader(request, 'x-user-id') });
    const alice = await withSession.answer(post({ query: me }, { 'x-user-id': 'alice' }));
    assert.ok(alice);
    assert.match(Buffer.from(alice.body).toString(), /Alice/);
    assert.equal(alice.headers['cache-control'], 'max-age=60, private');
    assert.equal(await withSession.answer(post({ query: me }, { 'x-user-id': 'bob' })), undefined);
    assert.equal(await withSession.answer(post({ query: me })), undefined);
  } finally {
    await shop.apollo.stop();
  }
});

test('persisted queries: only with the registry; by hash only once registered; registered when answered with the text', async () => {
  const shop = await warmShop();
  try {
    const sha256Hash = createHash('sha256').update(product).digest('hex');
    const byHash = post({ variables: { id: '42' }, extensions: { persistedQuery: { version: 1, sha256Hash } } });
    const withText = post({ query: product, variables: { id: '42' }, extensions: { persistedQuery: { version: 1, sha256Hash } } });
    assert.equal(await shop.plugin.adapter.answer(withText), undefined, 'no registry: the server answers');
    const registry = apolloPersistedQueries(shop.apollo)!;
    assert.ok(registry);
    const adapter = shop.plugin.adapter.with({ persistedQueries: registry });
    assert.equal(await adapter.answer(byHash), undefined, 'not registered: Apollo answers PersistedQueryNotFound');
    assert.ok(await adapter.answer(withText));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(await registry.get(sha256Hash), product, 'registered as Apollo registers it');
    assert.ok(await adapter.answer(byHash));
    const wrongVersion = post({ variables: { id: '42' }, extensions: { persistedQuery: { version: 2, sha256Hash } } });
    assert.equal(await adapter.answer(wrongVersion), undefined);
  } finally {
    await shop.apollo.stop();
  }
});

test('a context that fails leaves the request to the server; one that builds is used', async () => {
  const shop = await warmShop();
  try {
    const request = post({ query: product, variables: { id: '42' } });
    assert.equal(await shop.plugin.adapter.answer(request, async () => false), undefined);
    let built = 0;
    assert.ok(await shop.plugin.adapter.answer(request, async () => (built++, shop.context(undefined))));
    assert.equal(built, 1);
    // Not screened through (CSRF): the context is not even built.
    await shop.plugin.adapter.answer({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: {} }, async () => (built++, {}));
    assert.equal(built, 1);
  } finally {
    await shop.apollo.stop();
  }
});

test('adapter options are checked at construction, naming the option', () => {
  const { cache } = shopApollo();
  assert.throws(() => createAdapter(cache, { tagsHeader: 'a b' }), /createAdapter: option "tagsHeader" must be an HTTP header name/);
  assert.throws(() => createAdapter(cache, { sessionIdFromRequest: 'x-user-id' as never }), /option "sessionIdFromRequest" must be a function/);
  assert.throws(
    () => createAdapter(cache, { persistedQueries: {} as never }),
    /option "persistedQueries" must be an object with get\(hash\) and set\(hash, query\)/,
  );
  assert.throws(() => createAdapter({} as never), /createAdapter: option "cache" must be a Cache/);
});

/**
 * cachetag's startStandaloneServer against Apollo's own, over real HTTP: every answer byte-for-byte what Apollo's
 * standalone server sends (CORS and body-parser behaviour included), stored responses answered without entering
 * Apollo, and the context function (where standalone users authenticate) run before the fast path.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStandaloneServer as apolloStandalone } from '@apollo/server/standalone';
import { startStandaloneServer } from '../../../src/apollo/standalone.js';
import { runScenario, shopApollo, shopSessionFromRequest, type ShopApollo, type Target } from '../../helpers/integrationSuite.js';

// Apollo's standalone error handler logs refused bodies outside NODE_ENV=test; both servers run alike either way.
process.env.NODE_ENV = 'test';

let fast: Target & { shop: ShopApollo };
let slow: Target & { shop: ShopApollo };

before(async () => {
  const fastShop = shopApollo();
  const fastContextCalls = { count: 0 };
  const { url } = await startStandaloneServer(fastShop.apollo, {
    cache: fastShop.plugin,
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      fastContextCalls.count++;
      if (req.headers['x-deny']) throw new Error('denied');
      return fastShop.context(req.headers['x-user-id'] as string | undefined);
    },
    sessionIdFromRequest: shopSessionFromRequest,
  });
  fast = { shop: fastShop, url, serverCalls: () => fastShop.calls.count, middlewareCalls: () => fastContextCalls.count, stop: () => fastShop.apollo.stop() };
  const slowShop = shopApollo();
  const slowContextCalls = { count: 0 };
  const slowUrl = (
    await apolloStandalone(slowShop.apollo, {
      listen: { port: 0, host: '127.0.0.1' },
      context: async ({ req }) => {
        slowContextCalls.count++;
        if (req.headers['x-deny']) throw new Error('denied');
        return slowShop.context(req.headers['x-user-id'] as string | undefined);
      },
    })
  ).url;
  slow = {
    shop: slowShop,
    url: slowUrl,
    serverCalls: () => slowShop.calls.count,
    middlewareCalls: () => slowContextCalls.count,
    stop: () => slowShop.apollo.stop(),
  };
});
after(async () => {
  await fast.stop();
  await slow.stop();
});

test('the standalone drop-in answers every request as Apollo standalone does, from the cache where it can', async () => {
  await runScenario(fast, slow, async () => {
    await fast.shop.cache.idle();
    await slow.shop.cache.idle();
  });
});

test('a context function that refuses a request refuses it on the fast path too', async () => {
  const body = JSON.stringify({ query: 'query Page($id: ID!) { product(id: $id) { name price } }', variables: { id: '42' } });
  const send = (url: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-deny': '1' }, body });
  const [a, b] = [await send(fast.url), await send(slow.url)];
  assert.equal(a.status, b.status);
  assert.equal(await a.text(), await b.text());
  assert.notEqual(a.status, 200);
});

test('the url is reported as Apollo reports it', () => {
  assert.match(fast.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
});

test('given a cache whose plugin is already installed, startStandaloneServer uses that plugin instead of adding a second', async () => {
  const shop = shopApollo();
  const { url } = await startStandaloneServer(shop.apollo, {
    cache: shop.cache,
    listen: { port: 0, host: '127.0.0.1' },
    context: async () => shop.context(undefined),
  });
  try {
    const send = () =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ product(id: "42") { name } }' }),
      });
    const first = await send();
    // The installed plugin's tags header: it is the one answering.
    assert.equal(first.headers.get('surrogate-key'), 'Product Product:42');
    await shop.cache.idle();
    const calls = shop.calls.count;
    const second = await send();
    assert.equal(await second.text(), await first.text());
    assert.equal(second.headers.get('surrogate-key'), 'Product Product:42');
    assert.equal(shop.calls.count, calls, 'answered by the fast path');
  } finally {
    await shop.apollo.stop();
  }
});

test('contextOnFastPath: false answers from the cache without running the context function', async () => {
  const shop = shopApollo();
  let contexts = 0;
  const { url } = await startStandaloneServer(shop.apollo, {
    cache: shop.plugin,
    listen: { port: 0, host: '127.0.0.1' },
    context: async () => (contexts++, shop.context(undefined)),
    contextOnFastPath: false,
  });
  try {
    const send = () =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ product(id: "42") { name } }' }) });
    await (await send()).text();
    await shop.cache.idle();
    assert.equal(contexts, 1);
    const calls = shop.calls.count;
    await (await send()).text();
    assert.equal(shop.calls.count, calls, 'answered by the fast path');
    assert.equal(contexts, 1, 'the context function did not run');
  } finally {
    await shop.apollo.stop();
  }
});

/**
 * The Express 5 middleware in front of Apollo's expressMiddleware, over real HTTP: answer for answer what the same app
 * without it sends (ETag included), stored responses answered without entering Apollo, and the user's middleware
 * placed before it run for every request.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import cors from 'cors';
import express from 'express';
import { expressMiddleware } from '@as-integrations/express5';
import { cacheTagMiddleware } from '../../../src/express/index.js';
import { dropinPair, listenOnLoopback } from '../../helpers/dropinPair.js';
import { runScenario, shopApollo, shopSessionFromRequest, type ShopApollo, type Target } from '../../helpers/integrationSuite.js';

/**
 * `mounted`: the fast path on the app before the body parser (reading the body itself), the README's configuration;
 * `after`: between `express.json()` and Apollo; `none`: Express and Apollo alone.
 */
async function start(mode: 'mounted' | 'after' | 'none'): Promise<Target & { shop: ShopApollo; contextCalls(): number }> {
  const shop = shopApollo();
  await shop.apollo.start();
  const middleware = { count: 0, contexts: 0 };
  const app = express();
  // Error pages without stack traces (they name the middleware that called next(), which differs by design).
  app.set('env', 'production');
  // The user's own middleware (authentication, rate limits): runs before the fast path.
  app.use((req, res, next) => {
    middleware.count++;
    if (req.headers['x-deny']) return void res.status(401).send('denied');
    next();
  });
  const context = async ({ req }: { req: express.Request }) => {
    middleware.contexts++;
    return shop.context(req.headers['x-user-id'] as string | undefined);
  };
  const options = { server: shop.apollo, context, sessionIdFromRequest: shopSessionFromRequest };
  if (mode === 'mounted') {
    const fastPath = cacheTagMiddleware(shop.plugin, { ...options, path: '/graphql' });
    app.use(cors(), fastPath);
    app.use('/graphql', express.json(), expressMiddleware(shop.apollo, { context: fastPath.context }));
  } else {
    const fastPath = mode === 'after' ? cacheTagMiddleware(shop.plugin, options) : undefined;
    app.use('/graphql', cors(), express.json(), ...(fastPath ? [fastPath] : []), expressMiddleware(shop.apollo, { context: fastPath?.context ?? context }));
  }
  const server = createServer(app);
  return {
    shop,
    url: await listenOnLoopback(server),
    serverCalls: () => shop.calls.count,
    middlewareCalls: () => middleware.count,
    contextCalls: () => middleware.contexts,
    async stop() {
      server.close();
      await shop.apollo.stop();
    },
  };
}

const pair = dropinPair((fastPath) => start(fastPath ? 'mounted' : 'none'));

test('Express: mounted before the body parser, every request answered as Apollo answers it, from the cache where it can', async () => {
  await pair.scenario((target) => target.shop.cache.idle());
});

test('Express: placed after express.json(), every request answered as Apollo answers it, from the cache where it can', async () => {
  const [afterParser, alone] = [await start('after'), await start('none')];
  try {
    await runScenario(afterParser, alone, async () => void (await Promise.all([afterParser.shop.cache.idle(), alone.shop.cache.idle()])));
  } finally {
    await afterParser.stop();
    await alone.stop();
  }
});

test('Express: middleware before the fast path can refuse a request the cache would answer', async () => {
  const body = JSON.stringify({ query: 'query Page($id: ID!) { product(id: $id) { name price } }', variables: { id: '42' } });
  const response = await fetch(pair.fast.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-deny': '1' }, body });
  assert.equal(response.status, 401);
  assert.equal(await response.text(), 'denied');
});

test('Express: a conditional GET is answered as Express answers Apollo (the same ETag, the same status)', async () => {
  const search = `?${new URLSearchParams({ query: 'query Page($id: ID!) { product(id: $id) { name price } }', variables: '{"id":"42"}' })}`;
  const headers = { 'apollo-require-preflight': 'true' };
  const statuses: number[] = [];
  for (const target of [pair.slow, pair.fast]) {
    const first = await fetch(`${target.url}${search}`, { headers });
    const etag = first.headers.get('etag');
    assert.ok(etag);
    const calls = target.serverCalls();
    const second = await fetch(`${target.url}${search}`, { headers: { ...headers, 'if-none-match': etag } });
    statuses.push(second.status);
    if (target === pair.fast) assert.equal(target.serverCalls(), calls, 'answered by the fast path');
  }
  assert.equal(statuses[1], statuses[0]);
});

test('Express: given fastPath.context, Apollo gets the context the fast path built: one context per request, hit or miss', async () => {
  const target = await start('mounted');
  try {
    const body = JSON.stringify({ query: 'query OneContext($id: ID!) { product(id: $id) { name price } }', variables: { id: '7' } });
    const post = () => fetch(target.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const calls = target.serverCalls();
    const miss = await post();
    assert.equal(miss.status, 200);
    assert.equal(target.serverCalls() - calls, 1, 'the miss went to Apollo');
    assert.equal(target.contextCalls(), 1, 'the fast path built the context, Apollo used it');
    await target.shop.cache.idle();
    const hit = await post();
    assert.deepEqual(await hit.json(), await (await post()).json());
    assert.equal(target.serverCalls() - calls, 1, 'the hits were answered by the fast path');
    assert.equal(target.contextCalls(), 3);
  } finally {
    await target.stop();
  }
});

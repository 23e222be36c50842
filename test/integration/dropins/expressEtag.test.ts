/**
 * The Express middleware's answers follow the app's `etag` setting as res.send does, also when it changes while the
 * same stored response is answered again (the ETag of a stored response is computed once per ETag function).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import express from 'express';
import { expressMiddleware } from '@as-integrations/express5';
import { cacheTagMiddleware } from '../../../src/express/index.js';
import { listenOnLoopback } from '../../helpers/dropinPair.js';
import { shopApollo } from '../../helpers/integrationSuite.js';

test("Express: a stored response's ETag follows the app's etag setting, answer after answer", async () => {
  const shop = shopApollo();
  await shop.apollo.start();
  const app = express();
  const fastPath = cacheTagMiddleware(shop.plugin, { server: shop.apollo, context: async () => shop.context(undefined), path: '/graphql' });
  app.use(fastPath);
  app.use('/graphql', express.json(), expressMiddleware(shop.apollo, { context: fastPath.context }));
  const server = createServer(app);
  const url = await listenOnLoopback(server);
  try {
    const body = JSON.stringify({ query: 'query Page($id: ID!) { product(id: $id) { name price } }', variables: { id: '42' } });
    const post = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const miss = await post();
    const weak = miss.headers.get('etag');
    assert.match(weak ?? '', /^W\//, "Express's default: a weak ETag");
    await shop.cache.idle();
    const calls = shop.calls.count;
    const seen: (string | null)[] = [];
    for (const setting of [true, 'strong', false, 'weak'] as const) {
      app.set('etag', setting);
      const hit = await post();
      assert.equal(hit.status, 200);
      seen.push(hit.headers.get('etag'));
    }
    assert.equal(shop.calls.count, calls, 'every one answered by the fast path');
    assert.deepEqual(seen, [weak, weak!.slice(2), null, weak]);
  } finally {
    server.close();
    await shop.apollo.stop();
  }
});

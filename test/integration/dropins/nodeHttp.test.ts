/**
 * The node:http drop-in (withCacheTag) as the example server uses it, over real HTTP: the example with its fast path
 * against the same example without it, answer for answer; the listener's own code runs for every request the fast
 * path does not answer; a body over the limit is refused before anything runs.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { createShop, type Shop } from '../../../schema-examples/shop/app.js';
import { createCache } from '../../../src/index.js';
import { withCacheTag } from '../../../src/http/index.js';
import { runScenario, type Target } from '../../helpers/integrationSuite.js';

let fast: Target & { shop: Shop };
let slow: Target & { shop: Shop };

async function start(fastPath: boolean): Promise<Target & { shop: Shop }> {
  const shop = await createShop({ fastPath, cache: { strict: true } });
  const calls = { server: 0, middleware: 0 };
  const execute = shop.apollo.executeHTTPGraphQLRequest.bind(shop.apollo);
  shop.apollo.executeHTTPGraphQLRequest = (request) => (calls.server++, execute(request));
  // The user's own code in front of the example's handler (a request counter standing in for authentication).
  const server = createServer((req, res) => {
    calls.middleware++;
    void shop.handle(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    shop,
    url: `http://127.0.0.1:${port}/graphql`,
    serverCalls: () => calls.server,
    middlewareCalls: () => calls.middleware,
    async stop() {
      server.close();
      await shop.stop();
    },
  };
}

before(async () => {
  fast = await start(true);
  slow = await start(false);
});
after(async () => {
  await fast.stop();
  await slow.stop();
});

test('the example server (withCacheTag) answers every request as Apollo does, from the cache where it can', async () => {
  await runScenario(fast, slow, async () => {
    await fast.shop.cache.idle();
    await slow.shop.cache.idle();
  });
});

test('a body larger than maxBodyBytes is refused with 413, without calling the listener', async () => {
  let listened = 0;
  const server = createServer(
    withCacheTag(
      createCache(),
      (_req, res) => {
        listened++;
        res.end('listener');
      },
      { maxBodyBytes: 100 },
    ),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  try {
    const big = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'x'.repeat(200) }),
    });
    assert.equal(big.status, 413);
    const small = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ a }"}',
    });
    assert.equal(await small.text(), 'listener');
    assert.equal(listened, 1);
  } finally {
    server.close();
  }
});

test('with path, other paths reach the listener untouched (the body unread, no context built)', async () => {
  let contexts = 0;
  const server = createServer(
    withCacheTag(
      createCache(),
      async (req, res) => {
        if (req.url === '/upload') {
          const chunks: Buffer[] = [];
          for await (const chunk of req) chunks.push(chunk as Buffer);
          return void res.end(`read ${Buffer.concat(chunks).length} bytes, rawBody ${req.rawBody === undefined ? 'unset' : 'set'}`);
        }
        res.end('graphql');
      },
      { path: '/graphql', context: () => (contexts++, {}) },
    ),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  try {
    const upload = await fetch(`http://127.0.0.1:${port}/upload`, { method: 'POST', body: 'x'.repeat(1000) });
    assert.equal(await upload.text(), 'read 1000 bytes, rawBody unset');
    assert.equal(contexts, 0);
  } finally {
    server.close();
  }
});

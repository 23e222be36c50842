/**
 * The node:http drop-in (withCacheTag) over real HTTP, around a hand-written listener that hands the request to
 * Apollo (what a server with its own handler does): answer for answer what the same listener sends alone; the user's
 * code in front runs for every request; a body over the limit is refused before anything runs; other paths are
 * untouched.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { test } from 'node:test';
import { HeaderMap } from '@apollo/server';
import type { ShopContext } from '../../../schema-examples/shop/resolvers.js';
import { createCache } from '../../../src/index.js';
import { withCacheTag } from '../../../src/http/index.js';
import { apolloPersistedQueries } from '../../../src/apollo/index.js';
import { shopApollo, shopSessionFromRequest, type ShopApollo, type Target } from '../../helpers/integrationSuite.js';
import { dropinPair, listenOnLoopback } from '../../helpers/dropinPair.js';

async function start(fastPath: boolean): Promise<Target & { shop: ShopApollo }> {
  const shop = shopApollo();
  await shop.apollo.start();
  const calls = { middleware: 0 };
  const graphql = withCacheTag<ShopContext>(
    shop.plugin,
    async (req, res, context) => {
      // Apollo's standalone server refuses a body that is not JSON with 400 before Apollo runs: so does this listener.
      if (req.body === undefined && req.rawBody.length > 0 && /json/i.test(req.headers['content-type'] ?? '')) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        return void res.end('The request body is not valid JSON\n');
      }
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      const response = await shop.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: new URL(req.url ?? '/', 'http://localhost').search, body: req.body },
        context: async () => context ?? shop.context(req.headers['x-user-id'] as string | undefined),
      });
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') return void res.end(response.body.string);
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    },
    {
      context: (req) => shop.context(req.headers['x-user-id'] as string | undefined),
      sessionIdFromRequest: shopSessionFromRequest,
      // Persisted queries answered where Apollo has registered their hash, as Apollo would.
      persistedQueries: apolloPersistedQueries(shop.apollo)!,
      fastPath,
    },
  );
  // The user's own code in front of the wrapped listener (a request counter standing in for authentication).
  const server = createServer((req, res) => {
    calls.middleware++;
    graphql(req, res);
  });
  return {
    shop,
    url: await listenOnLoopback(server),
    serverCalls: () => shop.calls.count,
    middlewareCalls: () => calls.middleware,
    async stop() {
      server.close();
      await shop.apollo.stop();
    },
  };
}

const pair = dropinPair(start);

test('withCacheTag answers every request as its listener does alone, from the cache where it can', async () => {
  await pair.scenario((target) => target.shop.cache.idle());
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

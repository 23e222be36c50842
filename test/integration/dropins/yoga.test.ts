/**
 * The Yoga plugin (cachetag/envelop) over real HTTP with GraphQL Yoga 5: the same scenario as the Apollo drop-ins
 * (hit, miss, mutation then fresh, PRIVATE isolation, GET, bad input), answer for answer what the same Yoga server
 * sends without the fast path, stored responses answered without parsing or executing, and the user's own plugin
 * placed before ours run for every request. Persisted queries go to Yoga (no registry here).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { createYoga, type Plugin } from 'graphql-yoga';
import { ShopData } from '../../../schema-examples/shop/data.js';
import { resolvers } from '../../../schema-examples/shop/resolvers.js';
import { shopSessionId, shopTypeDefs } from '../../../schema-examples/shop/app.js';
import { cacheDirectivesTypeDefs, createCache, type Cache } from '../../../src/index.js';
import { useCacheTag } from '../../../src/envelop/index.js';
import { shopSessionFromRequest, type Target } from '../../helpers/integrationSuite.js';
import { dropinPair, listenOnLoopback } from '../../helpers/dropinPair.js';

async function start(fastPath: boolean): Promise<Target & { cache: Cache; paramsCalls(): number }> {
  const db = new ShopData();
  const cache = createCache({ sessionId: shopSessionId, strict: true });
  const calls = { parse: 0, request: 0, params: 0 };
  // The user's own plugin, before ours (authentication, rate limits): runs for every request.
  const userPlugin: Plugin = {
    onRequest({ request, endResponse, fetchAPI }) {
      calls.request++;
      if (request.headers.get('x-deny')) endResponse(new fetchAPI.Response('denied', { status: 401 }));
    },
    onParse() {
      calls.parse++;
    },
    onParams() {
      calls.params++;
    },
  };
  const yoga = createYoga({
    schema: makeExecutableSchema({ typeDefs: [cacheDirectivesTypeDefs, shopTypeDefs], resolvers: resolvers as never }),
    plugins: [userPlugin, useCacheTag(cache, { tagsHeader: 'Surrogate-Key', debug: 'header', sessionIdFromRequest: shopSessionFromRequest, fastPath })],
    context: ({ request }) => {
      const userId = request.headers.get('x-user-id');
      return { db, ...(userId ? { userId } : {}) };
    },
    logging: false,
    maskedErrors: true,
  });
  const server = createServer(yoga);
  return {
    cache,
    url: await listenOnLoopback(server),
    serverCalls: () => calls.parse,
    paramsCalls: () => calls.params,
    middlewareCalls: () => calls.request,
    async stop() {
      server.close();
      await cache.close();
    },
  };
}

const pair = dropinPair(start);

test('Yoga: every request answered as Yoga answers it, from the cache where it can', async () => {
  await pair.scenario((target) => target.cache.idle(), { persistedQueries: false });
});

test('Yoga: a plugin before ours can refuse a request the cache would answer', async () => {
  const body = JSON.stringify({ query: 'query Page($id: ID!) { product(id: $id) { name price } }', variables: { id: '42' } });
  const response = await fetch(pair.fast.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-deny': '1' }, body });
  assert.equal(response.status, 401);
});

test('Yoga: a mutation invalidates before its response, and debug requests report the operation tier', async () => {
  const read = (headers: Record<string, string> = {}) =>
    fetch(pair.fast.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ product(id: "43") { name price } }' }),
    });
  await read();
  await pair.fast.cache.idle();
  const debug = (await (await read({ 'x-cachetag-debug': '1' })).json()) as { extensions: { cachetag: { operation: { outcome: string } } } };
  assert.equal(debug.extensions.cachetag.operation.outcome, 'hit');
  const mutation = await fetch(pair.fast.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation { updateProduct(id: "43", input: { price: 1.25 }) { id price } }' }),
  });
  assert.equal(mutation.status, 200);
  const after = (await (await read()).json()) as { data: { product: { price: number } } };
  assert.equal(after.data.product.price, 1.25);
});

test('Yoga: a plain JSON POST is answered at the first hook, before Yoga parses the request', async () => {
  const body = JSON.stringify({ query: '{ product(id: "44") { name } }' });
  const post = (accept?: string) =>
    fetch(pair.fast.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) }, body });
  await (await post()).text();
  await pair.fast.cache.idle();
  const before = pair.fast.paramsCalls();
  const hit = await post('application/graphql-response+json');
  assert.equal(hit.headers.get('content-type'), 'application/graphql-response+json; charset=utf-8');
  assert.deepEqual(await hit.json(), { data: { product: { name: 'Product 44' } } });
  assert.equal(pair.fast.paramsCalls(), before, 'Yoga never reached onParams');
  // Yoga's result processing would stream it as events: left to Yoga.
  const stream = await post('text/event-stream');
  await stream.text();
  assert.equal(pair.fast.paramsCalls(), before + 1);
});

/**
 * The Fastify 5 hook in front of @as-integrations/fastify, over real HTTP: answer for answer what the same server
 * without it sends, stored responses answered without entering Apollo, and the user's onRequest hook run first.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import { cacheTagHook } from '../../../src/fastify/index.js';
import type { ShopContext } from '../../../schema-examples/shop/resolvers.js';
import { shopApollo, shopSessionFromRequest, type ShopApollo, type Target } from '../../helpers/integrationSuite.js';
import { dropinPair } from '../../helpers/dropinPair.js';

async function start(fastPath: boolean): Promise<Target & { shop: ShopApollo; contextCalls(): number }> {
  const shop = shopApollo();
  const fastify = Fastify();
  shop.apollo.addPlugin(fastifyApolloDrainPlugin(fastify));
  await shop.apollo.start();
  const hooks = { count: 0, contexts: 0 };
  // The user's own hook (authentication, rate limits): runs before the fast path.
  fastify.addHook('onRequest', async (request, reply) => {
    hooks.count++;
    if (request.headers['x-deny']) return reply.code(401).send('denied');
  });
  const context = async (request: { headers: Record<string, unknown> }): Promise<ShopContext> => {
    hooks.contexts++;
    return shop.context(request.headers['x-user-id'] as string | undefined);
  };
  const hook = fastPath ? cacheTagHook(shop.plugin, { server: shop.apollo, context, sessionIdFromRequest: shopSessionFromRequest }) : undefined;
  if (hook) fastify.addHook('preHandler', hook);
  await fastify.register(fastifyApollo(shop.apollo), { context: hook?.context ?? context });
  const address = await fastify.listen({ port: 0, host: '127.0.0.1' });
  return {
    shop,
    url: `${address}/graphql`,
    serverCalls: () => shop.calls.count,
    middlewareCalls: () => hooks.count,
    contextCalls: () => hooks.contexts,
    async stop() {
      await fastify.close();
      await shop.apollo.stop();
    },
  };
}

const pair = dropinPair(start);

test('Fastify: every request answered as Apollo answers it, from the cache where it can', async () => {
  await pair.scenario((target) => target.shop.cache.idle());
});

test('Fastify: an onRequest hook can refuse a request the cache would answer', async () => {
  const body = JSON.stringify({ query: 'query Page($id: ID!) { product(id: $id) { name price } }', variables: { id: '42' } });
  const response = await fetch(pair.fast.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-deny': '1' }, body });
  assert.equal(response.status, 401);
});

test('Fastify: given hook.context, Apollo gets the context the fast path built: one context per request, hit or miss', async () => {
  const target = pair.fast;
  const body = JSON.stringify({ query: 'query OneContext($id: ID!) { product(id: $id) { name price } }', variables: { id: '7' } });
  const post = () => fetch(target.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await target.shop.cache.idle();
  const [calls, contexts] = [target.serverCalls(), target.contextCalls()];
  const miss = await post();
  assert.equal(miss.status, 200);
  assert.equal(target.serverCalls() - calls, 1, 'the miss went to Apollo');
  assert.equal(target.contextCalls() - contexts, 1, 'the fast path built the context, Apollo used it');
  await target.shop.cache.idle();
  const hit = await post();
  assert.equal(hit.status, 200);
  assert.equal(target.serverCalls() - calls, 1, 'the hit was answered by the fast path');
  assert.equal(target.contextCalls() - contexts, 2);
});

/**
 * A request the Yoga fast path passes on is looked up in the store no more than it must be: the early answer
 * (`onRequest`) asks once; `onParams` does not ask again for the same parameters; and the operation tier takes over
 * that miss (carried to the context Yoga builds afterwards) instead of asking again before execution.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { createYoga } from 'graphql-yoga';
import { ShopData } from '../../../schema-examples/shop/data.js';
import { resolvers } from '../../../schema-examples/shop/resolvers.js';
import { shopSessionId, shopTypeDefs } from '../../../schema-examples/shop/app.js';
import { cacheDirectivesTypeDefs, createCache, createMemoryStore } from '../../../src/index.js';
import { useCacheTag } from '../../../src/envelop/index.js';
import { countingStore } from '../../helpers/countingStore.js';
import { listenOnLoopback } from '../../helpers/dropinPair.js';

test('Yoga: a miss of the early answer is not looked up again, at onParams or by the operation tier', async (t) => {
  const store = countingStore(createMemoryStore());
  const cache = createCache({ store, sessionId: shopSessionId, strict: true });
  const db = new ShopData();
  const yoga = createYoga({
    schema: makeExecutableSchema({ typeDefs: [cacheDirectivesTypeDefs, shopTypeDefs], resolvers: resolvers as never }),
    plugins: [useCacheTag(cache)],
    context: () => ({ db }),
    logging: false,
  });
  const server = createServer(yoga);
  const url = await listenOnLoopback(server);
  t.after(async () => {
    server.close();
    await cache.close();
  });
  const body = JSON.stringify({ query: 'query Page($id: ID!) { product(id: $id) { name price } }', variables: { id: '42' } });
  const post = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const operationReads = () => store.calls.get.filter((keys) => keys.some((key) => key.startsWith('op:'))).length;

  const miss = await post();
  assert.equal(miss.status, 200);
  const answer = await miss.text();
  assert.equal(operationReads(), 1, 'the early answer only: not onParams, not the operation tier');
  await cache.idle();
  const before = operationReads();
  const hit = await post();
  assert.equal(await hit.text(), answer);
  assert.equal(operationReads() - before, 1, 'a hit is one read, at onRequest: the miss was filled with the carried sequence');
});

/** Two example servers sharing one Redis: a mutation acknowledged by one is never answered from stale entries by the other. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startExampleServer } from '../../helpers/exampleServer.js';
import { connectOrSkip, deletePrefix, onCleanup, uniquePrefix } from '../../helpers/redis.js';

test('an invalidation by instance B is seen by instance A at once, in both tiers', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const env = { REDIS_URL: `redis://127.0.0.1:${redis.port}`, REDIS_PREFIX: uniquePrefix('two') };
  onCleanup(t, () => deletePrefix(redis.admin, env.REDIS_PREFIX));
  const [a, b] = await Promise.all([startExampleServer(env), startExampleServer(env)]);
  try {
    const page = `{ product(id: "45") { name price reviews { rating } } }`;
    const debug = { 'x-cachetag-debug': '1' };
    for (const server of [a, b]) for (let i = 0; i < 3; i++) await server.graphql(`{ store(id: "3") { name } }`);
    await b.graphql(page);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const cachedOnA = await a.graphql(page, debug);
    assert.equal((cachedOnA.body.extensions as { cachetag: { operation: { outcome: string } } }).cachetag.operation.outcome, 'hit', 'A reads what B stored');

    // A mutation through B invalidates in Redis: A's next read of the page must miss as stale, in both tiers.
    // (Each example instance has its own in-memory data layer, so what A re-reads is its own row; what matters
    // here is that A did not answer from the entries B's mutation invalidated.)
    for (let round = 0; round < 5; round++) {
      await a.graphql(page);
      await new Promise((resolve) => setTimeout(resolve, 30));
      await b.graphql(`mutation { updateProduct(id: "45", input: { price: ${100 + round} }) { id } }`);
      const { body } = await a.graphql(page, debug);
      const cachetag = (body.extensions as { cachetag: { operation: { outcome: string; reason?: string }; fields: { outcome: string; reason?: string }[] } })
        .cachetag;
      assert.deepEqual(cachetag.operation.outcome + ':' + cachetag.operation.reason, 'miss:stale');
      assert.deepEqual(
        cachetag.fields.map((f) => `${f.outcome}:${f.reason}`),
        ['miss:stale', 'miss:stale'],
      );
    }
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

/**
 * Live counters across processes: two caches on one Redis prefix record their hits, misses and bypasses (by reason
 * and by coordinate), and `cachetag stats --redis` reports their exact sums, with no metrics endpoint named.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../../src/cli/run.js';
import { createRedisStore } from '../../../src/stores/redis/index.js';
import { connectOrSkip, deletePrefix, onCleanup, uniquePrefix } from '../../helpers/redis.js';
import { assertNoErrors, createHarness } from '../../helpers/schema.js';

const typeDefs = /* GraphQL */ `
  type Product @cacheControl(maxAge: 60) {
    id: ID!
    name: String!
  }
  type Query {
    product(id: ID!): Product
    mine: [Product!]! @cacheControl(maxAge: 60, scope: PRIVATE)
  }
`;
const products = [
  { id: '1', name: 'Lamp' },
  { id: '2', name: 'Desk' },
];
const resolvers = { Query: { product: (_: unknown, { id }: { id: string }) => products.find((p) => p.id === id), mine: () => products } };

test('stats --redis sums the hits, misses and bypasses every instance recorded, by reason and by coordinate', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('live');
  onCleanup(t, () => deletePrefix(redis.admin, prefix));
  // The timer never fires during the test (an hour): close() sends the last batch, so the counts are exact.
  const instance = () => {
    const store = createRedisStore({ client: redis.template(), prefix });
    return createHarness(typeDefs, resolvers, { store, sessionId: (c) => (c as { user?: string }).user, liveCounters: { intervalMs: 3_600_000 } });
  };
  const a = instance();
  const b = instance();
  assert.ok(await (a.cache.store as ReturnType<typeof createRedisStore>).whenConnected());
  assert.ok(await (b.cache.store as ReturnType<typeof createRedisStore>).whenConnected());
  assertNoErrors(await a.run('{ x: product(id: "1") { name } y: product(id: "2") { name } }')); // 2 misses (absent)
  assertNoErrors(await b.run('{ x: product(id: "1") { name } y: product(id: "2") { name } }')); // 2 hits
  assertNoErrors(await b.run('{ product(id: "1") { name } }')); // 1 hit
  assertNoErrors(await a.run('{ mine { id } }')); // 1 bypass: no session
  assertNoErrors(await a.run('{ mine { id } }', { user: 'u1' })); // 1 miss (absent)
  assertNoErrors(await b.run('{ mine { id } }', { user: 'u1' })); // 1 hit
  await a.cache.close();
  await b.cache.close();

  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['stats', '--redis', `redis://127.0.0.1:${redis.port}`, '--prefix', prefix, '--no-scan', '--json'], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  assert.equal(code, 0, err.join('\n'));
  const { counters } = JSON.parse(out.join('\n')) as {
    counters: {
      instances: number;
      fields: { hits: number; misses: number; bypasses: number };
      hitRatio: number;
      byReason: Record<string, number>;
      topCoordinates: { coordinate: string; hits: number; misses: number; bypasses: number }[];
    };
  };
  assert.equal(counters.instances, 2);
  assert.deepEqual(counters.fields, { hits: 4, misses: 3, bypasses: 1 });
  assert.equal(counters.hitRatio, 4 / 7);
  assert.deepEqual(counters.byReason, { 'miss:absent': 3, 'bypass:no-session': 1 });
  assert.deepEqual(counters.topCoordinates, [
    { coordinate: 'Query.product', hits: 3, misses: 2, bypasses: 0, hitRatio: 0.6 },
    { coordinate: 'Query.mine', hits: 1, misses: 1, bypasses: 1, hitRatio: 0.5 },
  ]);

  const text: string[] = [];
  assert.equal(
    await runCli(['stats', '--redis', `redis://127.0.0.1:${redis.port}`, '--prefix', prefix, '--no-scan'], { out: (l) => text.push(l), err: () => {} }),
    0,
  );
  assert.match(text[0]!, /^last 5 min, 2 instances: field hit ratio 57\.1% \(4 hits, 3 misses, 1 bypasses\); operations no lookups/);
  assert.equal(text[1], '  by reason: miss:absent 3, bypass:no-session 1');
});

test('liveCounters: false records nothing in the store', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('live-off');
  onCleanup(t, () => deletePrefix(redis.admin, prefix));
  const store = createRedisStore({ client: redis.template(), prefix });
  const h = createHarness(typeDefs, resolvers, { store, sessionId: () => undefined, liveCounters: false });
  assert.ok(await store.whenConnected());
  assertNoErrors(await h.run('{ product(id: "1") { name } }'));
  await h.cache.close();
  assert.deepEqual(await redis.admin.keys(`{${prefix}:stats}:*`), []);
});

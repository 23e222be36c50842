/**
 * Oversized inputs never fail a response or grow a key: a value above maxValueBytes is served uncached, a 1 MiB
 * argument gets a short hashed key, variables nested 20,000 levels deep are served uncached, a 4 MiB query text and
 * 4 MiB of variables pass through the fast path (nothing stored) and Apollo; on the memory store and on Redis.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { Redis } from 'ioredis';
import { createMemoryStore, type Store } from '../../src/index.js';
import { createRedisStore } from '../../src/stores/redis/index.js';
import { createApolloHarness } from '../helpers/apollo.js';
import { connectOrSkip, deletePrefix, onCleanup, uniquePrefix } from '../helpers/redis.js';

const typeDefs = `
  input Deep { next: Deep, v: String }
  type Query {
    blob(bytes: Int!): String @cacheControl(maxAge: 60)
    echo(text: String!): Int @cacheControl(maxAge: 60)
    deep(d: Deep): Int @cacheControl(maxAge: 60)
  }
`;
const resolvers = {
  Query: {
    blob: (_: unknown, { bytes }: { bytes: number }) => 'x'.repeat(bytes),
    echo: (_: unknown, { text }: { text: string }) => text.length,
    deep: () => 1,
  },
};

async function exercise(t: TestContext, store: Store): Promise<void> {
  const harness = await createApolloHarness(typeDefs, resolvers, { store, cache: { codec: { maxValueBytes: 64 * 1024 } } });
  onCleanup(t, () => harness.stop());
  const big = await harness.run('{ blob(bytes: 1048576) }');
  assert.equal((big.data?.blob as string).length, 1048576);
  assert.equal(harness.store.calls.set.flat().filter((e) => e.value.length > 64 * 1024).length, 0, 'nothing above maxValueBytes is written');

  const text = 'é'.repeat(512 * 1024);
  const echo = await harness.run('query($t: String!) { echo(text: $t) }', { t: text });
  assert.equal(echo.data?.echo, text.length);
  const again = await harness.run('query($t: String!) { echo(text: $t) }', { t: text });
  assert.equal(again.data?.echo, text.length);
  for (const key of harness.store.calls.get.flat()) assert.ok(key.length < 100, `a key of ${key.length} characters`);

  let deep: Record<string, unknown> = { v: 'bottom' };
  for (let i = 0; i < 20_000; i++) deep = { next: deep };
  const nested = await harness.run('query($d: Deep) { deep(d: $d) }', { d: deep }, { allowErrors: true });
  // graphql-js may refuse the depth itself; what matters is that the cache neither throws nor hangs.
  assert.ok(nested.data?.deep === 1 || nested.errors !== undefined);

  const hugeQuery = `{ echo(text: "${'a'.repeat(4 * 1024 * 1024)}") }`;
  assert.equal(await harness.cache.storedResponse({ query: hugeQuery }), undefined);
  const answered = await harness.run(hugeQuery);
  assert.equal(answered.data?.echo, 4 * 1024 * 1024);
  assert.equal(await harness.cache.storedResponse({ query: '{ blob(bytes: 1) }', variables: { pad: 'p'.repeat(4 * 1024 * 1024) } }), undefined);
}

test('memory store: oversized values, arguments and bodies', async (t) => {
  await exercise(t, createMemoryStore());
});

test('Redis: oversized values, arguments and bodies', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('oversized');
  onCleanup(t, () => deletePrefix(redis.admin, prefix));
  const store = createRedisStore({
    client: new Redis({ host: redis.host, port: redis.port, lazyConnect: true }),
    prefix,
    readTimeoutMs: 2000,
    writeTimeoutMs: 5000,
  });
  await store.whenConnected();
  onCleanup(t, () => store.close());
  await exercise(t, store);
});

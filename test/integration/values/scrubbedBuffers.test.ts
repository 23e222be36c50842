/**
 * Issue 21 item 3: hits must not share bytes with the store or with each other. A resolver that scrubs a cached
 * Buffer in place (`parent.body.fill(0)`) must neither corrupt the stored entry (which would fail its checksum on
 * the next read and run the resolver again) nor change what a concurrent request returns, on a plain hit or in a
 * joined flight, on the memory store (which keeps frames uncompressed) and on Redis.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Store } from '../../../src/index.js';
import { createRedisStore } from '../../../src/stores/redis/index.js';
import { gate, startApollo, until } from '../../helpers/apolloHarness.js';
import { connectOrSkip, deletePrefix, onCleanup, uniquePrefix } from '../../helpers/redis.js';

const typeDefs = /* GraphQL */ `
  type Query {
    secret(id: ID!): Secret @cacheControl(maxAge: 60)
  }
  type Secret {
    id: ID!
    body: String!
  }
`;

async function setup(t: TestContext, store?: Store) {
  let release = gate();
  release.open();
  const db = {
    calls: 0,
    hold() {
      release = gate();
      return release;
    },
  };
  const h = await startApollo(
    typeDefs,
    {
      Query: {
        secret: async (_: unknown, { id }: { id: string }) => {
          db.calls++;
          await release.promise;
          return { id, body: Buffer.from(`secret ${id}`) };
        },
      },
      // Reads the secret once, then wipes it from memory, as code handling credentials does.
      Secret: {
        body: (parent: { body: Buffer }) => {
          const text = parent.body.toString('utf8');
          parent.body.fill(0);
          return text;
        },
      },
    },
    store ? { cache: { store } } : {},
  );
  t.after(() => h.stop());
  return { h, db };
}

// A new query text each time (a comment), so the field tier answers, not the operation tier.
let texts = 0;
const query = (id: string) => `# ${texts++}\n{ secret(id: "${id}") { id body } }`;
const expected = (id: string) => ({ secret: { id, body: `secret ${id}` } });

async function scrubbedHits(t: TestContext, store?: Store): Promise<void> {
  const { h, db } = await setup(t, store);
  assert.deepEqual((await h.run(query('1'))).data, expected('1'));
  await h.cache.idle();
  for (let i = 0; i < 3; i++) assert.deepEqual((await h.run(query('1'))).data, expected('1'), `hit ${i + 1}`);
  const concurrent = await Promise.all([h.run(query('1')), h.run(query('1')), h.run(query('1'))]);
  for (const result of concurrent) assert.deepEqual(result.data, expected('1'));
  assert.equal(db.calls, 1, 'the stored entry was never corrupted: every later read hit');
  assert.deepEqual(h.cache.stats().errors, {});
}

async function scrubbedJoinedFlight(t: TestContext, store?: Store): Promise<void> {
  const { h, db } = await setup(t, store);
  const held = db.hold();
  const requests = Array.from({ length: 3 }, () => h.run(query('2')));
  await until(() => h.cache.stats().joinedFlights === 2);
  held.open();
  for (const result of await Promise.all(requests)) assert.deepEqual(result.data, expected('2'));
  await h.cache.idle();
  assert.deepEqual((await h.run(query('2'))).data, expected('2'));
  assert.equal(db.calls, 1, 'the entry the flight stored was not scrubbed by its joiners');
  assert.deepEqual(h.cache.stats().errors, {});
}

test('a resolver scrubbing a cached Buffer changes neither the store nor other hits (memory store)', (t) => scrubbedHits(t));
test('joiners of one flight each get their own bytes (memory store)', (t) => scrubbedJoinedFlight(t));

async function redisStore(t: TestContext): Promise<Store | undefined> {
  const redis = await connectOrSkip(t);
  if (!redis) return undefined;
  const prefix = uniquePrefix('scrub');
  const store = createRedisStore({ client: redis.template(), prefix, readTimeoutMs: 2000, writeTimeoutMs: 2000 });
  onCleanup(t, () => deletePrefix(redis.admin, prefix));
  assert.ok(await store.whenConnected());
  return store;
}

test('a resolver scrubbing a cached Buffer changes neither the store nor other hits (Redis)', async (t) => {
  const store = await redisStore(t);
  if (store) await scrubbedHits(t, store);
});
test('joiners of one flight each get their own bytes (Redis)', async (t) => {
  const store = await redisStore(t);
  if (store) await scrubbedJoinedFlight(t, store);
});

test('the HTTP fast path hands out a copy of the stored body', async (t) => {
  const { h } = await setup(t);
  const text = `{ secret(id: "3") { id } }`;
  await h.run(text);
  await h.cache.idle();
  const first = await h.cache.storedResponse({ query: text });
  assert.ok(first);
  const body = first.body;
  first.bytes.fill(0);
  const second = await h.cache.storedResponse({ query: text });
  assert.equal(second?.body, body, 'the stored response is intact');
  assert.equal(Buffer.from(second!.bytes).toString('utf8'), body, 'its bytes too, as the fast path writes them');
  assert.deepEqual(h.cache.stats().errors, {});
});

/**
 * Issue 22 item 3: a resolver that never settles must not block its key. Joiners stop waiting at the flight's
 * deadline (`flightTimeoutMs`, default 10 s) and run their own resolver, later requests start a new call, and one
 * flight takes at most `maxFlightJoiners` waiting requests. Time is node:test's mock timers: no real sleeps.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCache, defaultFlightTimeoutMs, defaultMaxFlightJoiners } from '../../../src/index.js';
import { gate, startApollo, until } from '../../helpers/apolloHarness.js';

const typeDefs = /* GraphQL */ `
  type Query {
    product(id: ID!): Product @cacheControl(maxAge: 60)
  }
  type Product {
    id: ID!
    name: String!
  }
`;

/** The first resolver call hangs forever (until the test ends); later calls answer at once. */
function hangingFirstCall() {
  const hang = gate<{ id: string; name: string }>();
  let calls = 0;
  return {
    hang,
    get calls() {
      return calls;
    },
    resolvers: {
      Query: {
        product: (_: unknown, { id }: { id: string }) => (calls++ === 0 ? hang.promise : { id, name: `Product ${id}` }),
      },
    },
  };
}

test('joiners of a flight that never settles run their own resolver at its deadline, and later requests start a new call', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const db = hangingFirstCall();
  const h = await startApollo(typeDefs, db.resolvers);
  t.after(async () => {
    db.hang.open({ id: '1', name: 'late' });
    await h.stop();
  });
  const query = `{ product(id: "1") { id name } }`;

  void h.run(query);
  await until(() => db.calls === 1);
  let settled = 0;
  const joiners = Array.from({ length: 20 }, () => h.run(query).finally(() => settled++));
  await until(() => h.cache.stats().joinedFlights === 20);
  assert.equal(db.calls, 1, 'the 20 requests joined the hanging call');

  t.mock.timers.tick(defaultFlightTimeoutMs - 1);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(settled, 0, 'joiners wait until the deadline');

  t.mock.timers.tick(1);
  await until(() => settled === 20);
  for (const result of await Promise.all(joiners)) assert.deepEqual(result.data, { product: { id: '1', name: 'Product 1' } });
  assert.equal(db.calls, 21, 'each joiner ran its own resolver');
  assert.equal(h.cache.stats().bypasses, 20, 'reason flight-timeout: uncached, and no response stored on it');
  await h.cache.idle();
  assert.equal(h.cache.stats().fills, 0);
  assert.equal(h.cache.stats().operationFills, 0);

  // The abandoned flight no longer holds the key: the next request starts (and caches) a call of its own.
  assert.deepEqual((await h.run(query)).data, { product: { id: '1', name: 'Product 1' } });
  await h.cache.idle();
  assert.equal(db.calls, 22);
  assert.equal(h.cache.stats().fills, 1);
  assert.deepEqual((await h.run(`{ product(id: "1") { name } }`)).data, { product: { name: 'Product 1' } });
  assert.equal(db.calls, 22, 'and later requests hit');
});

test('a miss after the deadline of a flight nobody joined starts its own call at once', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const db = hangingFirstCall();
  const h = await startApollo(typeDefs, db.resolvers);
  t.after(async () => {
    db.hang.open({ id: '1', name: 'late' });
    await h.stop();
  });
  void h.run(`{ product(id: "1") { id name } }`);
  await until(() => db.calls === 1);
  t.mock.timers.tick(defaultFlightTimeoutMs);
  assert.deepEqual((await h.run(`{ product(id: "1") { name } }`)).data, { product: { name: 'Product 1' } });
  assert.equal(h.cache.stats().joinedFlights, 0, 'the abandoned call was not joined');
  await h.cache.idle();
  assert.equal(h.cache.stats().fills, 1, 'and the new call was cached');
});

test('past maxFlightJoiners, further misses run their own resolver at once', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const db = hangingFirstCall();
  const h = await startApollo(typeDefs, db.resolvers, { cache: { maxFlightJoiners: 3 } });
  t.after(async () => {
    db.hang.open({ id: '1', name: 'late' });
    await h.stop();
  });
  const query = `{ product(id: "1") { id name } }`;
  void h.run(query);
  await until(() => db.calls === 1);
  const waiting = Array.from({ length: 3 }, () => h.run(query));
  await until(() => h.cache.stats().joinedFlights === 3);
  const overflow = await Promise.all([h.run(query), h.run(query)]);
  for (const result of overflow) assert.deepEqual(result.data, { product: { id: '1', name: 'Product 1' } });
  assert.equal(db.calls, 3, 'the two requests past the bound ran their own resolver');
  assert.equal(h.cache.stats().joinedFlights, 3);
  t.mock.timers.tick(defaultFlightTimeoutMs);
  await Promise.all(waiting);
});

test('flightTimeoutMs and maxFlightJoiners are validated at construction', () => {
  assert.equal(defaultFlightTimeoutMs, 10_000);
  assert.equal(defaultMaxFlightJoiners, 1_000);
  assert.throws(
    () => createCache({ flightTimeoutMs: 0 }),
    /option "flightTimeoutMs" must be a number of milliseconds > 0 and at most 2147483647, or Infinity; received number 0/,
  );
  assert.throws(() => createCache({ flightTimeoutMs: 2 ** 31 }), /flightTimeoutMs/);
  assert.throws(() => createCache({ maxFlightJoiners: 1.5 }), /option "maxFlightJoiners" must be an integer >= 1, or Infinity; received number 1.5/);
  createCache({ flightTimeoutMs: Number.POSITIVE_INFINITY, maxFlightJoiners: Number.POSITIVE_INFINITY });
});

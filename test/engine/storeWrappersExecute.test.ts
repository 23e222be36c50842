/**
 * The store wrappers under a real cache (graphql-js `execute`, no server): a hung store costs a miss and the resolver
 * runs; a write that overruns reaches the cache's one failure channel (logger once, stats().errors); once the breaker
 * opens the store is not called at all and every response is still served.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execute, parse } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { cacheDirectivesTypeDefs, createCache, type Store, withBreaker, withDeadline } from '../../src/index.js';
import { controlledStore, manualTimers, settle } from '../helpers/controlledStore.js';

function setup(store: Store) {
  const calls = { product: 0 };
  const schema = makeExecutableSchema({
    typeDefs: [cacheDirectivesTypeDefs, 'type Product { id: ID! name: String! } type Query { product(id: ID!): Product @cacheControl(maxAge: 60) }'],
    resolvers: { Query: { product: (_: unknown, { id }: { id: string }) => (calls.product++, { id, name: `P${id}` }) } },
  });
  const warnings: string[] = [];
  const cache = createCache({ store, logger: { warn: (m) => warnings.push(m) } });
  cache.instrumentSchema(schema);
  const run = (id: string) => execute({ schema, document: parse(`{ product(id: "${id}") { name } }`), contextValue: {} });
  return { cache, calls, warnings, run };
}

/** Runs settle() until `ready()` holds: the cache reached the store. */
async function until(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ready(); i++) await settle();
  assert.ok(ready(), 'the cache called the store');
}

test('a get that overruns is a miss: the resolver runs and the response is served', async () => {
  const inner = controlledStore();
  const timers = manualTimers();
  const { cache, calls, warnings, run } = setup(withDeadline(inner, { timers }));
  const result = run('1');
  await until(() => inner.calls.get.length === 1);
  timers.fire();
  assert.deepEqual(JSON.parse(JSON.stringify((await result).data)), { product: { name: 'P1' } });
  assert.equal(calls.product, 1);
  await cache.idle();
  assert.equal(inner.calls.set.length, 0, 'nothing is filled from a read that could not be checked');
  assert.equal(cache.stats().errors.STORE_UNAVAILABLE, 1);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /missed its 50 ms deadline/);
});

test('a set that overruns is reported once through the logger and counted', async () => {
  const inner = controlledStore();
  const timers = manualTimers();
  const { cache, warnings, run } = setup(withDeadline(inner, { timers }));
  for (const id of ['1', '2']) {
    const result = run(id);
    await until(() => inner.calls.get.length === Number(id));
    inner.calls.get.at(-1)!.resolve({ values: ['absent'], seq: 0 });
    await result;
    await until(() => inner.calls.set.length === Number(id));
    timers.fire();
    await cache.idle();
  }
  assert.equal(cache.stats().errors.STORE_UNAVAILABLE, 2);
  assert.equal(warnings.length, 1, JSON.stringify(warnings));
  assert.match(warnings[0]!, /Writing cache entries failed \(STORE_UNAVAILABLE\): store: set of 1 entry missed its 250 ms deadline/);
});

test('once the breaker opened the store is not called, and every response is served by its resolver', async () => {
  const inner = controlledStore();
  const timers = manualTimers();
  const { cache, calls, run } = setup(withBreaker(withDeadline(inner, { timers }), { threshold: 2, now: () => 0 }));
  for (const id of ['1', '2']) {
    const result = run(id);
    await until(() => inner.calls.get.length === Number(id));
    timers.fire();
    await result;
  }
  for (const id of ['3', '4', '5']) assert.deepEqual(JSON.parse(JSON.stringify((await run(id)).data)), { product: { name: `P${id}` } });
  await cache.idle();
  assert.equal(inner.calls.get.length, 2, 'the open breaker kept the hung store out of the next three requests');
  assert.equal(calls.product, 5);
});

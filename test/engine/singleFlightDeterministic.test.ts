/**
 * Single flight without timing: concurrent misses of one key share one resolver run. The resolver is held on a
 * promise the test releases, and the test waits on the cache's own counters, never on a clock.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { execute, parse } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { cacheDirectivesTypeDefs, createCache, createMemoryStore, type Cache } from '../../src/index.js';

/** graphql-js builds null-prototype objects; compare values as a client sees them. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function setup(release: Promise<{ id: string; name: string }>) {
  const calls = { product: 0 };
  const schema = makeExecutableSchema({
    typeDefs: [cacheDirectivesTypeDefs, `type Product { id: ID! name: String! } type Query { product(id: ID!): Product @cacheControl(maxAge: 60) }`],
    resolvers: {
      Query: {
        product: () => {
          calls.product++;
          return release;
        },
      },
    },
  });
  const cache = createCache({ store: createMemoryStore(), strict: true });
  cache.instrumentSchema(schema);
  const run = () => execute({ schema, document: parse('{ product(id: "1") { name } }'), contextValue: {} });
  return { cache, calls, run };
}

/** Lets the event loop turn until `done()` holds (a bounded number of turns, so a broken engine fails, not hangs). */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000 && !done(); turn++) await nextMacrotask();
  assert.ok(done(), 'the condition never held');
}

const joined = (cache: Cache) => () => cache.stats().joinedFlights;

test('three concurrent misses of one key run the resolver once and all get its value', async () => {
  const value = deferred<{ id: string; name: string }>();
  const { cache, calls, run } = setup(value.promise);
  const requests = [run(), run(), run()];
  await until(() => joined(cache)() === 2);
  assert.equal(calls.product, 1, 'the joiners wait for the first resolver');
  value.resolve({ id: '1', name: 'Lamp' });
  const results = await Promise.all(requests);
  for (const result of results) assert.deepEqual(plain(result.data), { product: { name: 'Lamp' } });
  assert.equal(calls.product, 1);
  await cache.idle();
  assert.equal(cache.stats().fills, 1);
});

test('when the shared resolver throws, every waiting request sees the error and nothing is cached', async () => {
  const value = deferred<{ id: string; name: string }>();
  const { cache, calls, run } = setup(value.promise);
  const requests = [run(), run()];
  await until(() => joined(cache)() === 1);
  value.reject(new Error('database down'));
  const results = await Promise.all(requests);
  for (const result of results) assert.equal(result.errors?.[0]?.message, 'database down');
  assert.equal(calls.product, 1);
  await cache.idle();
  assert.equal(cache.stats().fills, 0);
});

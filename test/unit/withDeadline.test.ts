/** The deadline wrapper: a get that overruns is a miss, a set that overruns is reported, an invalidation that overruns is not acknowledged. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CacheTagError, isUnacknowledgedInvalidation, withDeadline } from '../../src/index.js';
import { controlledStore, failingStore, manualTimers } from '../helpers/controlledStore.js';

const entry = { key: 'k', value: new Uint8Array([1]), tags: ['T:1'], ttlMs: 1000, fetchSeq: 0 };

test('a get that overruns rejects with STORE_UNAVAILABLE; one that answers in time passes through', async () => {
  const inner = controlledStore();
  const timers = manualTimers();
  const store = withDeadline(inner, { readTimeoutMs: 20, timers });
  const slow = store.get(['a']);
  assert.equal(inner.calls.get.length, 1);
  timers.fire();
  await assert.rejects(
    slow,
    (e: unknown) => e instanceof CacheTagError && e.code === 'STORE_UNAVAILABLE' && /get of 1 key\(s\) missed its 20 ms deadline/.test(e.message),
  );
  // The late answer changes nothing (and is no unhandled rejection).
  inner.calls.get[0]!.reject(new Error('late'));

  const fast = store.get(['b']);
  inner.calls.get[1]!.resolve({ values: ['absent'], seq: 3 });
  assert.deepEqual(await fast, { values: ['absent'], seq: 3 });
  assert.equal(timers.armed, 0, 'the timer of a call that answered is cleared');
});

test('a set that overruns rejects with STORE_UNAVAILABLE (the cache reports it, test/engine/storeWrappersExecute.test.ts)', async () => {
  const inner = controlledStore();
  const timers = manualTimers();
  const store = withDeadline(inner, { writeTimeoutMs: 30, timers });
  const write = store.set([entry]);
  timers.fire();
  await assert.rejects(
    write,
    (e: unknown) => e instanceof CacheTagError && e.code === 'STORE_UNAVAILABLE' && /set of 1 entry missed its 30 ms/.test(e.message),
  );
});

test('an invalidation that overruns is not acknowledged: INVALIDATION_UNACKNOWLEDGED naming every tag', async () => {
  const inner = controlledStore();
  const timers = manualTimers();
  const store = withDeadline(inner, { writeTimeoutMs: 30, timers });
  const invalidation = store.invalidate(['A:1', 'B:2']);
  timers.fire();
  await assert.rejects(invalidation, (e: unknown) => isUnacknowledgedInvalidation(e) && e.tags.join() === 'A:1,B:2' && e.requested.length === 2);
  // An invalidation the store acknowledges in time resolves to its sequence.
  const ok = store.invalidate(['C:3']);
  inner.calls.invalidate[1]!.resolve(9);
  assert.equal(await ok, 9);
});

test("the store's own failures pass through unchanged; close and extra members pass through", async () => {
  const boom = new CacheTagError('CODEC_CORRUPT', 'boom');
  const inner = Object.assign(failingStore(boom), { pendingInvalidations: 4 });
  const store = withDeadline(inner, { timers: manualTimers() });
  await assert.rejects(store.get(['a']), boom);
  await assert.rejects(store.set([entry]), boom);
  await assert.rejects(store.invalidate(['T:1']), boom);
  assert.deepEqual(inner.calls, { get: 1, set: 1, invalidate: 1 });
  assert.equal(store.pendingInvalidations, 4);
  await store.close();
});

test('options are checked at construction', () => {
  assert.throws(
    () => withDeadline(controlledStore(), { readTimeoutMs: 0 }),
    /withDeadline: option "readTimeoutMs" must be a positive integer; received number 0/,
  );
  assert.throws(() => withDeadline(controlledStore(), { writeTimeoutMs: 1.5 }), /option "writeTimeoutMs"/);
});

/** The breaker wrapper: opens after consecutive failures and stops calling the store, half-opens after its cooldown, closes on a good probe; a refused invalidation is never acknowledged. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CacheTagError, createMemoryStore, isUnacknowledgedInvalidation, withBreaker } from '../../src/index.js';
import { controlledStore, failingStore } from '../helpers/controlledStore.js';

const entry = { key: 'k', value: new Uint8Array([1]), tags: ['T:1'], ttlMs: 1000, fetchSeq: 0 };
const unavailable = (e: unknown): boolean => e instanceof CacheTagError && e.code === 'STORE_UNAVAILABLE';

test('after `threshold` consecutive failures the store is not called any more: reads and fills, then invalidations, each by their own count', async () => {
  const inner = failingStore(new CacheTagError('STORE_UNAVAILABLE', 'down'));
  let opened = 0;
  const store = withBreaker(inner, { threshold: 3, cooldownMs: 1000, now: () => 0, onOpen: () => opened++ });
  for (let i = 0; i < 3; i++) await assert.rejects(store.get(['a']), /down/);
  assert.equal(store.breakerState, 'open');
  assert.equal(opened, 1);
  await assert.rejects(
    store.get(['a']),
    (e: unknown) =>
      unavailable(e) && /store: the circuit breaker of reads and fills is open after 3 consecutive failures; bypassing the cache/.test((e as Error).message),
  );
  await assert.rejects(store.set([entry]), (e: unknown) => unavailable(e) && /the fill was dropped/.test((e as Error).message));
  // Invalidations have their own breaker: the failed reads did not open it, their own failures do.
  for (let i = 0; i < 3; i++) await assert.rejects(store.invalidate(['A:1']), /down/);
  assert.equal(opened, 2);
  await assert.rejects(
    store.invalidate(['A:1', 'B:2']),
    (e: unknown) => isUnacknowledgedInvalidation(e) && e.tags.join() === 'A:1,B:2' && /circuit breaker of invalidations is open/.test(e.message),
  );
  assert.deepEqual(inner.calls, { get: 3, set: 0, invalidate: 3 }, 'the refused calls never reached the store');
});

test('fills that failed never refuse an invalidation', async () => {
  const inner = controlledStore();
  const store = withBreaker(inner, { threshold: 2, now: () => 0 });
  for (let i = 0; i < 2; i++) {
    const fill = store.set([entry]);
    inner.calls.set[i]!.reject(new Error('deadline'));
    await assert.rejects(fill);
  }
  assert.equal(store.breakerState, 'open');
  await assert.rejects(store.get(['a']), /circuit breaker of reads and fills is open/);
  const invalidated = store.invalidate(['T:1']);
  assert.equal(inner.calls.invalidate.length, 1, 'the invalidation reached the store');
  inner.calls.invalidate[0]!.resolve(7);
  assert.equal(await invalidated, 7);
});

test('a success between failures resets the count', async () => {
  const inner = controlledStore();
  const store = withBreaker(inner, { threshold: 2, now: () => 0 });
  const first = store.get(['a']);
  inner.calls.get[0]!.reject(new Error('x'));
  await assert.rejects(first);
  const second = store.set([entry]);
  inner.calls.set[0]!.resolve(1);
  assert.equal(await second, 1);
  const third = store.invalidate(['T:1']);
  inner.calls.invalidate[0]!.reject(new Error('y'));
  await assert.rejects(third);
  assert.equal(store.breakerState, 'closed');
});

test('after the cooldown one probe goes through (half-open); its success closes the breaker and reports the recovery', async () => {
  let now = 0;
  let recovered = 0;
  const inner = controlledStore();
  const store = withBreaker(inner, { threshold: 1, cooldownMs: 100, now: () => now, onRecover: () => recovered++ });
  const failing = store.get(['a']);
  inner.calls.get[0]!.reject(new Error('down'));
  await assert.rejects(failing);
  assert.equal(store.breakerState, 'open');
  now = 99;
  await assert.rejects(store.get(['a']), /circuit breaker of reads and fills is open/);
  now = 100;
  const probe = store.get(['a']);
  assert.equal(store.breakerState, 'half-open');
  await assert.rejects(store.get(['b']), /circuit breaker of reads and fills is open/, 'one probe at a time');
  assert.equal(inner.calls.get.length, 2);
  inner.calls.get[1]!.resolve({ values: ['absent'], seq: 1 });
  await probe;
  assert.equal(store.breakerState, 'closed');
  assert.equal(recovered, 1);
});

test('a failed probe restarts the cooldown', async () => {
  let now = 0;
  const inner = failingStore(new Error('down'));
  const store = withBreaker(inner, { threshold: 1, cooldownMs: 100, now: () => now });
  await assert.rejects(store.get(['a']), /down/);
  now = 150;
  await assert.rejects(store.get(['a']), /down/);
  now = 200;
  await assert.rejects(store.get(['a']), /circuit breaker of reads and fills is open/);
  assert.equal(inner.calls.get, 2);
});

test('members other than get, set and invalidate pass through', async () => {
  const memory = createMemoryStore();
  const store = withBreaker(memory);
  const { seq } = await store.get(['k']);
  assert.equal(await store.set([{ ...entry, fetchSeq: seq }]), 1);
  assert.equal(store.preferredCompressAboveBytes, memory.preferredCompressAboveBytes);
  assert.equal(store.breakerState, 'closed');
  await store.close();
});

test('options are checked at construction', () => {
  assert.throws(() => withBreaker(controlledStore(), { threshold: 0 }), /withBreaker: option "threshold" must be a positive integer; received number 0/);
  assert.throws(() => withBreaker(controlledStore(), { cooldownMs: -1 }), /option "cooldownMs"/);
});

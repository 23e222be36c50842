/**
 * The fill/invalidate race through scheduler-chosen orderings of lookup, resolver read, database write,
 * invalidation, fill and single-flight join, in both tiers (field entries, and whole responses through the operation
 * lookup, the operation fill and the HTTP fast path), on the memory store and on Redis: zero violations (CI sizes;
 * the long run explores 10,000 per store: `npm run reliability -- --long`). An explorer that cannot see a dropped
 * invalidation, or an operation fill stored past its fence, would prove nothing, so those are checked first.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exploreInterleavings, interleavingRuns, type InterleavingResult } from './interleavings/explore.js';
import { ensureSharedRedis } from '../helpers/redis.js';

test('the explorer sees the stale reads of a cache whose invalidations are dropped', async () => {
  const result = await exploreInterleavings({ store: 'memory', runs: { memory: 50, redis: 0 }, dropInvalidations: true });
  assert.ok(result.violations > 0);
});

test('the explorer sees the stale stored responses of operation fills that ignore their fence', async () => {
  const result = await exploreInterleavings({ store: 'memory', runs: { memory: 80, redis: 0 }, operationFillsIgnoreFence: true });
  assert.ok(result.violations > 0);
  assert.ok(
    result.examples.some((example) => example.includes('from stored response')),
    `no stale read came from a stored response: ${result.examples.join('\n')}`,
  );
});

function assertExplored(result: InterleavingResult, runs: number): void {
  assert.deepEqual(result.examples, []);
  assert.equal(result.violations, 0);
  assert.equal(result.runs, runs);
  assert.ok(result.orderings > runs / 2, `only ${result.orderings} distinct orderings`);
  assert.ok(result.joinedFlights > 0, 'no run joined a flight');
  assert.ok(result.storedResponses > 0, 'no read was answered from a stored response');
  assert.ok(result.operationFills > 0, 'no operation fill raced the writer');
}

test('memory store: no ordering serves a stale read', async () => {
  assertExplored(await exploreInterleavings({ store: 'memory', runs: interleavingRuns(false) }), interleavingRuns(false).memory);
});

const redisProblem = await ensureSharedRedis();
test('Redis: no ordering serves a stale read', { skip: redisProblem }, async () => {
  assertExplored(await exploreInterleavings({ store: 'redis', runs: interleavingRuns(false) }), interleavingRuns(false).redis);
});

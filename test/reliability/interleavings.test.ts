/**
 * The fill/invalidate race through scheduler-chosen orderings of lookup, resolver read, database write,
 * invalidation, fill and single-flight join, on the memory store and on Redis: zero violations (CI sizes; the long
 * run explores 10,000 per store: `npm run reliability -- --long`). An explorer that cannot see a dropped
 * invalidation would prove nothing, so that is checked first.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exploreInterleavings, interleavingRuns } from './interleavings/explore.js';
import { ensureSharedRedis } from '../helpers/redis.js';

test('the explorer sees the stale reads of a cache whose invalidations are dropped', async () => {
  const result = await exploreInterleavings({ store: 'memory', runs: { memory: 50, redis: 0 }, dropInvalidations: true });
  assert.ok(result.violations > 0);
});

test('memory store: no ordering serves a stale read', async () => {
  const result = await exploreInterleavings({ store: 'memory', runs: interleavingRuns(false) });
  assert.deepEqual(result.examples, []);
  assert.equal(result.violations, 0);
  assert.ok(result.orderings > interleavingRuns(false).memory / 2, `only ${result.orderings} distinct orderings`);
  assert.ok(result.joinedFlights > 0, 'no run joined a flight');
});

const redisProblem = await ensureSharedRedis();
test('Redis: no ordering serves a stale read', { skip: redisProblem }, async () => {
  const result = await exploreInterleavings({ store: 'redis', runs: interleavingRuns(false) });
  assert.deepEqual(result.examples, []);
  assert.equal(result.violations, 0);
  assert.ok(result.orderings > interleavingRuns(false).redis / 2, `only ${result.orderings} distinct orderings`);
});

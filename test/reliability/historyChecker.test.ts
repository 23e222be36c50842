/**
 * The history checker, short CI version: every store and mode of the matrix, a few hundred operations each, zero
 * stale reads, zero foreign PRIVATE reads, zero failed responses. The long run: `npm run reliability -- --long`.
 * A deliberately broken cache (invalidations dropped) must be caught, so a zero means something.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runHistory } from './history/history.js';
import { caseLabel, historyCases, runHistoryCase } from './history/matrix.js';
import { ensureSharedRedis } from '../helpers/redis.js';

test('the checker sees stale reads when invalidations are dropped', async () => {
  const result = await runHistory({ label: 'broken on purpose', env: { CHECKER_SELF_TEST: 'drop-invalidations' }, processes: 1, operations: 300 });
  assert.ok(result.stale > 0, `a cache that drops invalidations served no stale read in ${result.reads} reads`);
});

const redisProblem = await ensureSharedRedis();
for (const c of historyCases(false)) {
  test(`history: ${caseLabel(c)}: no stale, foreign or failed read`, { skip: c.backend !== 'memory' && redisProblem }, async () => {
    const result = await runHistoryCase(c);
    assert.deepEqual(result.examples, [], `${result.stale} stale, ${result.foreign} foreign, ${result.failed} failed`);
    assert.equal(result.stale, 0);
    assert.equal(result.foreign, 0);
    assert.equal(result.failed, 0);
    assert.equal(result.deferredInvalidations, 0, 'an invalidation missed its deadline: the run measured the degraded mode');
    assert.ok(result.reads > c.operations / 2);
    if (c.mode === 'operation') assert.ok(result.fastPathReads > 0, 'the fast path answered no read');
  });
}

/**
 * The history checker, short CI version: every store and mode of the matrix, a few hundred operations each, zero
 * stale reads, zero foreign PRIVATE reads, zero failed responses; the bounded modes (the in-process tier's fast mode,
 * an outbox answered at commit) have their stale reads' ages reported, and held here to the tier's hard bound
 * (`maxAgeMs`), not to the timing figure a loaded CI machine cannot promise. The long run: `npm run reliability -- --long`.
 * A deliberately broken cache (invalidations dropped) must be caught, so a zero means something.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runHistory } from './history/history.js';
import { caseLabel, historyCases, runHistoryCase, staleBoundMs } from './history/matrix.js';
import { ensureSharedRedis } from '../helpers/redis.js';
import { postgresOrSkip } from '../helpers/postgres.js';
import { defaultLocalMaxAgeMs } from '../../src/stores/redis/index.js';

test('the checker sees stale reads when invalidations are dropped', async () => {
  const result = await runHistory({ label: 'broken on purpose', env: { CHECKER_SELF_TEST: 'drop-invalidations' }, processes: 1, operations: 300 });
  assert.ok(result.stale > 0, `a cache that drops invalidations served no stale read in ${result.reads} reads`);
});

const redisProblem = await ensureSharedRedis();
for (const c of historyCases(false)) {
  test(`history: ${caseLabel(c)}: no stale, foreign or failed read`, { skip: c.backend !== 'memory' && redisProblem }, async (t) => {
    if (c.outbox && !(await postgresOrSkip(t))) return;
    const result = await runHistoryCase(c);
    const bounded = staleBoundMs(c) !== undefined;
    const summary = `${result.stale} stale (ages ${result.staleAgesMs.map((ms) => ms.toFixed(0)).join(', ')} ms), ${result.foreign} foreign, ${result.failed} failed: ${result.examples.join('; ')}`;
    if (bounded) for (const age of result.staleAgesMs) assert.ok(age < defaultLocalMaxAgeMs, summary);
    else assert.equal(result.stale, 0, summary);
    assert.equal(result.foreign, 0, summary);
    assert.equal(result.failed, 0, summary);
    assert.equal(result.deferredInvalidations, 0, 'an invalidation missed its deadline: the run measured the degraded mode');
    assert.ok(result.reads > c.operations / 2);
    if (c.mode === 'operation' && !c.server) assert.ok(result.fastPathReads > 0, 'the fast path answered no read');
    if (c.server) assert.ok(result.operationHits > 0, `the ${c.server} drop-in answered no read from the operation tier`);
  });
}

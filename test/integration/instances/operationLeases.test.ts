/**
 * Leases for the operation tier (whole responses): 1,000 concurrent identical queries spread over 4 real Apollo
 * Server processes on one Redis execute once with `leases` (every other request is answered from the holder's
 * stored response), and once per request without (the operation tier has no single flight of its own).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connectOrSkip, onCleanup, uniquePrefix, deletePrefix } from '../../helpers/redis.js';
import { coldKeyChildren } from './coldKeyRun.js';

const children = coldKeyChildren(fileURLToPath(new URL('./coldOperationChild.ts', import.meta.url)));
after(() => children.stop());

for (const local of ['none', 'strict', 'fast']) {
  test(`1,000 concurrent identical queries over 4 processes: the operation executes once with leases (local tier: ${local})`, async (t) => {
    const redis = await connectOrSkip(t);
    if (!redis) return;
    const prefix = uniquePrefix('oplease');
    onCleanup(t, () => deletePrefix(redis.admin, prefix));
    const done = await children.round(prefix, true, local);
    const executed = done.map((d) => d.runs!);
    console.log(
      `operation leases, local ${local}: executions per process ${executed.join(', ')}, hits ${done.map((d) => d.hits).join(', ')}`,
      JSON.stringify(done),
    );
    assert.equal(
      executed.reduce((a, b) => a + b, 0),
      1,
    );
    assert.equal(
      done.reduce((a, d) => a + d.hits!, 0),
      999,
    );
  });
}

test('without leases: every concurrent query executes', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('opnolease');
  onCleanup(t, () => deletePrefix(redis.admin, prefix));
  const executed = (await children.round(prefix, false, 'none', 2, 50)).map((d) => d.runs!);
  assert.deepEqual(executed, [50, 50]);
});

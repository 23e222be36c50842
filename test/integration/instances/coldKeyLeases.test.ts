/**
 * Leases across instances: 1,000 concurrent requests for one cold key spread over 4 real Node processes on one
 * Redis run the resolver once with `leases` (the other processes wait for the holder's fill), and at most once per
 * process without (the engine's single flight joins within a process only).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connectOrSkip, onCleanup, uniquePrefix, deletePrefix } from '../../helpers/redis.js';
import { coldKeyChildren } from './coldKeyRun.js';

const children = coldKeyChildren(fileURLToPath(new URL('./coldKeyChild.ts', import.meta.url)));
after(() => children.stop());

/** Runs the children; resolves to the resolver runs each reported. */
const coldKey = async (prefix: string, leases: boolean, local: string): Promise<number[]> => (await children.round(prefix, leases, local)).map((d) => d.runs!);

for (const local of ['none', 'strict', 'fast']) {
  test(`1,000 concurrent requests for one cold key over 4 processes: one resolver run with leases (local tier: ${local})`, async (t) => {
    const redis = await connectOrSkip(t);
    if (!redis) return;
    const prefix = uniquePrefix('lease');
    onCleanup(t, () => deletePrefix(redis.admin, prefix));
    const runs = await coldKey(prefix, true, local);
    console.log(`leases on, local ${local}: resolver runs per process ${runs.join(', ')} (total ${runs.reduce((a, b) => a + b, 0)})`);
    assert.equal(
      runs.reduce((a, b) => a + b, 0),
      1,
    );
  });
}

test('without leases: at most one resolver run per process', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('nolease');
  onCleanup(t, () => deletePrefix(redis.admin, prefix));
  const runs = await coldKey(prefix, false, 'none');
  console.log(`leases off: resolver runs per process ${runs.join(', ')} (total ${runs.reduce((a, b) => a + b, 0)})`);
  assert.ok(
    runs.every((r) => r <= 1),
    String(runs),
  );
});

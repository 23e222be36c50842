/**
 * Leases across instances: 1,000 concurrent requests for one cold key spread over 4 real Node processes on one
 * Redis run the resolver once with `leases` (the other processes wait for the holder's fill), and at most once per
 * process without (the engine's single flight joins within a process only).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connectOrSkip, onCleanup, SHARED_REDIS_PORT, uniquePrefix, deletePrefix } from '../../helpers/redis.js';

const child = fileURLToPath(new URL('./coldKeyChild.ts', import.meta.url));

/** Runs `processes` children at once; resolves to the resolver runs each reported. */
async function coldKey(prefix: string, leases: boolean, local: string, processes = 4, perProcess = 250): Promise<number[]> {
  const children = Array.from({ length: processes }, () =>
    spawn(process.execPath, ['--import', 'tsx', child, String(SHARED_REDIS_PORT), prefix, leases ? '1' : '0', local, String(perProcess)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const events = children.map((c) => createInterface({ input: c.stdout! })[Symbol.asyncIterator]());
  const next = async (i: number, event: string): Promise<Record<string, number>> => {
    for (;;) {
      const line = await events[i]!.next();
      if (line.done) throw new Error(`child ${i} exited before "${event}"`);
      const message = JSON.parse(line.value as string) as { event: string } & Record<string, number>;
      if (message.event === event) return message;
    }
  };
  try {
    await Promise.all(children.map((_, i) => next(i, 'ready')));
    for (const c of children) c.stdin!.write('go\n');
    const done = await Promise.all(children.map((_, i) => next(i, 'done')));
    assert.deepEqual(
      done.map((d) => d.wrong),
      children.map(() => 0),
      'every request got the right value',
    );
    return done.map((d) => d.runs!);
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill();
  }
}

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

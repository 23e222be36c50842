/**
 * Runs the cold-key children of the lease tests (coldKeyChild.ts, coldOperationChild.ts) as real Node processes on
 * the shared Redis, releases them at once, and collects what each reported.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { SHARED_REDIS_PORT } from '../../helpers/redis.js';

/** Runs `processes` children of `child` at once; resolves to each one's "done" report. */
export async function runColdKey(
  child: string,
  prefix: string,
  leases: boolean,
  local: string,
  processes = 4,
  perProcess = 250,
): Promise<Record<string, number>[]> {
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
    return done;
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill();
  }
}

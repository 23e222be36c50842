/**
 * Runs the cold-key children of the lease tests (coldKeyChild.ts, coldOperationChild.ts) as real Node processes on
 * the shared Redis, releases them at once, and collects what each reported. The processes are started once per test
 * file and serve one round per test (each round on its own store and cache): starting them is most of what these
 * files cost.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { SHARED_REDIS_PORT } from '../../helpers/redis.js';
import type { RoundArgs } from './childStore.js';

export interface ColdKeyChildren {
  /** One round on the first `processes` children, `perProcess` concurrent requests each; resolves to each one's "done" report. */
  round(prefix: string, leases: boolean, local: string, processes?: number, perProcess?: number): Promise<Record<string, number>[]>;
  /** Kills the children (after the file's tests). */
  stop(): void;
}

/** Up to `max` children of `child`, started on the first round. */
export function coldKeyChildren(child: string, max = 4): ColdKeyChildren {
  let started: { process: ChildProcess; next(event: string): Promise<Record<string, number>> }[] | undefined;
  const start = () =>
    Array.from({ length: max }, (_, i) => {
      const process_ = spawn(process.execPath, ['--import', 'tsx', child], { stdio: ['pipe', 'pipe', 'inherit'] });
      const lines = createInterface({ input: process_.stdout! })[Symbol.asyncIterator]();
      const next = async (event: string): Promise<Record<string, number>> => {
        for (;;) {
          const line = await lines.next();
          if (line.done) throw new Error(`child ${i} exited before "${event}"`);
          const message = JSON.parse(line.value as string) as { event: string } & Record<string, number>;
          if (message.event === event) return message;
        }
      };
      return { process: process_, next };
    });
  const stop = (): void => {
    for (const c of started ?? []) if (c.process.exitCode === null) c.process.kill();
    started = undefined;
  };
  return {
    async round(prefix, leases, local, processes = max, perProcess = 250) {
      started ??= start();
      const children = started.slice(0, processes);
      const args: RoundArgs = { port: SHARED_REDIS_PORT, prefix, leases, local: local as RoundArgs['local'], concurrency: perProcess };
      try {
        for (const c of children) c.process.stdin!.write(`open ${JSON.stringify(args)}\n`);
        await Promise.all(children.map((c) => c.next('ready')));
        for (const c of children) c.process.stdin!.write('go\n');
        const done = await Promise.all(children.map((c) => c.next('done')));
        assert.deepEqual(
          done.map((d) => d.wrong),
          children.map(() => 0),
          'every request got the right value',
        );
        return done;
      } catch (error) {
        // A round that failed half-way leaves its children in an unknown state: the next round starts new ones.
        stop();
        throw error;
      }
    },
    stop,
  };
}

/**
 * Several instances on one Redis, in real Node processes: a writer (this process) fills and invalidates one key
 * while reader processes with the in-process tier read it through a fault proxy, which delays, blackholes and cuts
 * their connections (subscriber included), and Redis is killed and restarted empty meanwhile. Strict mode serves
 * no value after its invalidation was acknowledged; fast mode stops serving it within its bound (pollMs + gapMs,
 * pingMs when the subscriber is lost, plus slack for a loaded machine).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startFaultProxy } from '../../helpers/faultProxy.js';
import { onCleanup, ownRedisOrSkip, sleep, startRedisServer, uniquePrefix } from '../../helpers/redis.js';
import { entry, openStore } from '../redis/support.js';

const child = fileURLToPath(new URL('./readerChild.ts', import.meta.url));
const wall = (): number => performance.timeOrigin + performance.now();

for (const mode of ['strict', 'fast'] as const) {
  test(`${mode}: reader processes behind a fault proxy, Redis killed and restarted empty while mutations run`, async (t) => {
    const server = await ownRedisOrSkip(t);
    if (!server) return;
    const proxy = await startFaultProxy(server.port);
    onCleanup(t, () => proxy.close());
    const prefix = uniquePrefix(`instances-${mode}`);
    const writer = await openStore(t, server, { prefix, writeTimeoutMs: 500, local: { mode } });
    const readers = [0, 1].map(() =>
      spawn(process.execPath, ['--import', 'tsx', child, String(proxy.port), prefix, mode], { stdio: ['pipe', 'pipe', 'inherit'] }),
    );
    onCleanup(t, () => readers.forEach((r) => r.exitCode === null && r.kill()));
    const lines = readers.map((r) => createInterface({ input: r.stdout! })[Symbol.asyncIterator]());
    const next = async (i: number, event: string): Promise<Record<string, unknown>> => {
      for (;;) {
        const line = await lines[i]!.next();
        if (line.done) throw new Error(`reader ${i} exited before "${event}"`);
        const message = JSON.parse(line.value as string) as Record<string, unknown>;
        if (message.event === event) return message;
      }
    };
    await Promise.all(readers.map((_, i) => next(i, 'ready')));

    // Version v is stale from the moment the invalidation after its fill is acknowledged.
    const staleSince = new Map<number, number>();
    let version = 0;
    let restarted: { stop(): Promise<void> } | undefined;
    const started = performance.now();
    const faults = (async () => {
      await sleep(400);
      proxy.delay(30);
      await sleep(300);
      proxy.heal();
      proxy.blackhole();
      await sleep(300);
      proxy.heal();
      proxy.cut();
      await sleep(100);
      proxy.heal();
      await sleep(300);
      await server.stop();
      await sleep(100);
      restarted = await startRedisServer({ port: server.port });
    })();
    while (performance.now() - started < 2600) {
      const v = ++version;
      try {
        const { seq } = await writer.get(['k']);
        await writer.set([entry('k', String(v), ['P:1'], seq)]);
      } catch {
        // Redis down: nothing to fill.
      }
      await sleep(5);
      try {
        await writer.invalidate(['P:1']);
        staleSince.set(v, wall());
        // Everything older is stale from now on too (when not already).
        for (let older = v - 1; older > 0 && !staleSince.has(older); older--) staleSince.set(older, wall());
      } catch {
        // Unacknowledged: kept pending by the writer; not yet a promise to the readers.
      }
    }
    await faults;
    onCleanup(t, () => restarted?.stop());
    for (const r of readers) r.stdin!.write('stop\n');
    const done = await Promise.all(readers.map((_, i) => next(i, 'done')));
    const bound = mode === 'strict' ? 0 : 100 + 250 + 100 + 250; // pingMs + pollMs + gapMs + slack
    let worst = 0;
    let served = 0;
    let hits = 0;
    for (const d of done) {
      hits += d.hits as number;
      for (const [at, value] of d.reads as [number, string][]) {
        served++;
        const since = staleSince.get(Number(value));
        if (since !== undefined && at > since) worst = Math.max(worst, at - since);
      }
    }
    console.log(`${mode}: ${served} values served by 2 reader processes (${hits} from memory), ${version} versions; worst staleness ${worst.toFixed(1)} ms`);
    assert.ok(hits > 0, 'the tier served values');
    if (mode === 'strict') assert.equal(worst, 0, 'strict: no value served by a read that began after its invalidation was acknowledged');
    else assert.ok(worst <= bound, `fast: staleness ${worst} ms within ${bound} ms`);
  });
}

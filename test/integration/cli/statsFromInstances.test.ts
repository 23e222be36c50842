/** `cachetag stats --metrics`: the hit ratio of running instances, read from their Prometheus endpoints and summed. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../../src/cli/run.js';
import { startExampleServer } from '../../helpers/exampleServer.js';

test('stats --metrics sums the counters of two instances, and --watch shows the last interval', async (t) => {
  const [a, b] = await Promise.all([startExampleServer(), startExampleServer()]);
  t.after(() => Promise.all([a.stop(), b.stop()]));
  const page = '{ product(id: "42") { name store { name } } }';
  // Debug header: the fast path is skipped, so every request goes through the field tier.
  for (const server of [a, b]) for (let i = 0; i < 3; i++) await server.graphql(page, { 'x-cachetag-debug': '1' });
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['stats', '--metrics', `${a.base}/metrics`, '--metrics', `${b.base}/metrics`, '--json'], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  assert.equal(code, 0, err.join('\n'));
  const { processes } = JSON.parse(out.join('\n')) as {
    processes: { instances: number; hits: number; misses: number; operationHits: number; operationMisses: number; hitRatio: number };
  };
  // Per instance: the first request misses both fields and stores the operation; the next two are operation hits.
  assert.deepEqual([processes.instances, processes.misses, processes.operationMisses, processes.operationHits], [2, 4, 2, 4]);
  assert.equal(processes.hitRatio, processes.hits / (processes.hits + processes.misses));

  const watched: string[] = [];
  const watching = runCli(['stats', '--metrics', `${a.base}/metrics`, '--watch', '0.05', '--count', '2'], {
    out: (l) => watched.push(l),
    err: (l) => watched.push(l),
  });
  await watching;
  assert.match(
    watched[0]!,
    /^1 instance: hit ratio [\d.]+% \(fields: \d+ hits, 2 misses, \d+ bypasses; operations: 2 hits, 1 misses, \d+ bypasses\); 0 invalidations$/,
  );
  assert.match(watched.at(-1)!, /^last interval: no lookups /);
});

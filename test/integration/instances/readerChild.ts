/**
 * A reader instance of severalInstances.test.ts, in its own process: a Redis store with the in-process tier
 * (strict or fast) through the test's fault proxy; reads one key in a loop until "stop" and reports every value
 * it served with the wall time its read started (the parent compares with acknowledged invalidations).
 * argv: port prefix mode
 */
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { createRedisStore } from '../../../src/stores/redis/index.js';

const [port, prefix, mode] = process.argv.slice(2) as [string, string, 'strict' | 'fast'];
const store = createRedisStore({
  client: new Redis({ host: '127.0.0.1', port: Number(port), lazyConnect: true }),
  prefix,
  local: { mode, pingMs: 100 },
});
if (!(await store.whenConnected(10_000))) throw new Error('reader did not connect');
const wall = (): number => performance.timeOrigin + performance.now();
const reads: [number, string][] = [];
let running = true;
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'stop') running = false;
});
process.stdout.write(`${JSON.stringify({ event: 'ready' })}\n`);
let hits = 0;
while (running) {
  const started = wall();
  const lookup = await store.get(['k']).catch(() => undefined);
  const value = lookup?.values[0];
  if (value instanceof Uint8Array) reads.push([started, Buffer.from(value).toString()]);
  hits = store.localTier?.hits ?? 0;
  await new Promise((resolve) => setTimeout(resolve, 1));
}
process.stdout.write(`${JSON.stringify({ event: 'done', reads, hits, flushes: store.localTier?.flushes })}\n`);
await store.close();
process.exit(0);

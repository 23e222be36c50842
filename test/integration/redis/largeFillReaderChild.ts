/**
 * The other instance of largeFillBounded.test.ts, in its own process (so the
 * filler's own CPU work cannot delay its timers): reads one small key every
 * 2 ms with the default read deadline until told "stop" on stdin, then
 * prints what it read.
 * argv: port prefix
 */
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { CacheTagError } from '../../../src/errors.js';
import { createRedisStore } from '../../../src/stores/redis/index.js';

const [port, prefix] = process.argv.slice(2) as [string, string];
const store = createRedisStore({ client: new Redis({ host: '127.0.0.1', port: Number(port), lazyConnect: true }), prefix, onError: () => {} });
if (!(await store.whenConnected())) throw new Error('child store did not connect');
let running = true;
const reads: string[] = [];
createInterface({ input: process.stdin }).on('line', () => (running = false));
process.stdout.write('ready\n');
while (running) {
  reads.push(
    await store.get(['small']).then(
      (r) => (r.values[0] instanceof Uint8Array ? Buffer.from(r.values[0]).toString() : String(r.values[0])),
      (e: unknown) => (e instanceof CacheTagError ? e.code : String(e)),
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, 2));
}
process.stdout.write(`${JSON.stringify(reads)}\n`);
await store.close();
process.exit(0);

/**
 * The cost of the transactional outbox: mixed-workload throughput of the example shop (data on PostgreSQL, cache on
 * Redis, in process) with every write committing its invalidation through the outbox, as a ratio to the same writes
 * without it. One run of each, alternated, same seed. Run from the repository root (it uses the root's `pg`):
 *   node --import tsx bench/src/outboxCost.ts [--seconds 5] [--concurrency 16] [--writes 0.1] [--pairs 3]
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) and REDIS_URL (default redis://127.0.0.1:6379).
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Redis } from 'ioredis';
import { createShop } from '../../schema-examples/shop/app.js';
import { PgShopData } from '../../schema-examples/shop/pgData.js';
import { createPgOutbox } from '../../src/outbox/index.js';
import { createRedisStore } from '../../src/stores/redis/index.js';
import { createRandom } from './prng.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '16' }, writes: { type: 'string', default: '0.1' }, pairs: { type: 'string', default: '3' } },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const writeShare = Number(values.writes);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const products = Array.from({ length: 12 }, (_, i) => String(40 + i));

async function run(outboxOn: boolean, runSeconds = seconds): Promise<{ opsPerSecond: number; reads: number; writes: number; errors: number }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency + 2 });
  const tablePrefix = `bench_outbox_${process.pid}_${outboxOn ? 'on' : 'off'}_`;
  const db = new PgShopData({ pool, tablePrefix });
  await db.setup();
  const prefix = `bench-outbox-${process.pid}-${outboxOn ? 'on' : 'off'}`;
  // Generous deadlines: on a loaded machine the default 50 ms read deadline opens the breaker and measures bypasses.
  const store = createRedisStore({ client: new Redis(redisUrl, { lazyConnect: true }), prefix, readTimeoutMs: 1000, writeTimeoutMs: 2000 });
  await store.whenConnected();
  const shop = await createShop({ db, cache: { store }, plugin: { debug: false, operationCache: true } });
  const outbox = outboxOn ? createPgOutbox({ pool, cache: shop.cache, table: `${tablePrefix}cachetag_outbox` }) : undefined;
  if (outbox) {
    await outbox.setup();
    db.outbox = outbox;
    await outbox.start();
  }
  const random = createRandom(42);
  let reads = 0;
  let writes = 0;
  let errors = 0;
  let price = 10;
  const until = performance.now() + runSeconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const id = products[Math.floor(random() * products.length)]!;
      const write = random() < writeShare;
      const query = write ? `mutation { updateProduct(id: ${id}, input: { price: ${++price} }) { id price } }` : `{ product(id: ${id}) { id name price reviews { rating } } }`;
      const response = await shop.apollo.executeOperation({ query }, { contextValue: { db } });
      if (response.body.kind !== 'single' || response.body.singleResult.errors) errors++;
      else if (write) writes++;
      else reads++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await outbox?.close();
  await shop.stop();
  const cleanup = new Redis(redisUrl);
  let cursor = '0';
  do {
    const [next, keys] = await cleanup.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await cleanup.del(...keys);
  } while (cursor !== '0');
  cleanup.disconnect();
  const { rows } = await pool.query(`SELECT relname FROM pg_class WHERE relkind IN ('r', 'S') AND relname LIKE $1`, [`${tablePrefix}%`]);
  for (const { relname } of rows as { relname: string }[]) await pool.query(`DROP TABLE IF EXISTS ${relname} CASCADE`).catch(() => pool.query(`DROP SEQUENCE IF EXISTS ${relname}`));
  await pool.end();
  return { opsPerSecond: (reads + writes) / elapsed, reads, writes, errors };
}

// A discarded warm-up (JIT, connections, PostgreSQL's caches), then the modes alternated in pairs (the order swapped
// every pair), so load from elsewhere on the machine hits both alike; the ratio is of the summed throughputs.
await run(false, Math.min(3, seconds));
const pairs = Number(values.pairs);
const offRuns: Awaited<ReturnType<typeof run>>[] = [];
const onRuns: Awaited<ReturnType<typeof run>>[] = [];
for (let i = 0; i < pairs; i++) {
  if (i % 2 === 0) {
    offRuns.push(await run(false));
    onRuns.push(await run(true));
  } else {
    onRuns.push(await run(true));
    offRuns.push(await run(false));
  }
}
const sum = (runs: typeof offRuns) => runs.reduce((a, r) => a + r.opsPerSecond, 0);
const describe = (runs: typeof offRuns) =>
  `${(sum(runs) / runs.length).toFixed(0)} ops/s mean (${runs.map((r) => r.opsPerSecond.toFixed(0)).join(', ')}; ${runs.reduce((a, r) => a + r.writes, 0)} writes, ${runs.reduce((a, r) => a + r.errors, 0)} errors)`;
console.log(`mixed workload, ${Math.round(writeShare * 100)} % writes, ${concurrency} concurrent, ${pairs} pairs of ${seconds} s, PostgreSQL + Redis, in process`);
console.log(`outbox off: ${describe(offRuns)}`);
console.log(`outbox on:  ${describe(onRuns)}`);
console.log(`ratio on/off: ${(sum(onRuns) / sum(offRuns)).toFixed(3)}`);

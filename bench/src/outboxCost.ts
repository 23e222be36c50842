/**
 * The cost of the transactional outbox: mixed-workload throughput of the example shop (data on PostgreSQL, cache on
 * Redis, in process) with every write committing its invalidation through the outbox, as a ratio to the same writes
 * without it. One run of each, alternated, same seed. Run from the repository root (it uses the root's `pg`):
 *   node --import tsx bench/src/outboxCost.ts [--seconds 8] [--concurrency 16] [--writes 0.1]
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
  options: { seconds: { type: 'string', default: '8' }, concurrency: { type: 'string', default: '16' }, writes: { type: 'string', default: '0.1' } },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const writeShare = Number(values.writes);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const products = Array.from({ length: 12 }, (_, i) => String(40 + i));

async function run(outboxOn: boolean): Promise<{ opsPerSecond: number; reads: number; writes: number; errors: number }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency + 2 });
  const tablePrefix = `bench_outbox_${process.pid}_${outboxOn ? 'on' : 'off'}_`;
  const db = new PgShopData({ pool, tablePrefix });
  await db.setup();
  const prefix = `bench-outbox-${process.pid}-${outboxOn ? 'on' : 'off'}`;
  const store = createRedisStore({ client: new Redis(redisUrl, { lazyConnect: true }), prefix });
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
  const until = performance.now() + seconds * 1000;
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

const off = await run(false);
const on = await run(true);
const row = (label: string, r: typeof off) => `${label}: ${r.opsPerSecond.toFixed(0)} ops/s (${r.reads} reads, ${r.writes} writes, ${r.errors} errors)`;
console.log(`mixed workload, ${Math.round(writeShare * 100)} % writes, ${concurrency} concurrent, ${seconds} s each, PostgreSQL + Redis, in process`);
console.log(row('outbox off', off));
console.log(row('outbox on ', on));
console.log(`ratio on/off: ${(on.opsPerSecond / off.opsPerSecond).toFixed(3)}`);

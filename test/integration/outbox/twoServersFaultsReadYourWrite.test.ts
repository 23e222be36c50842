/**
 * Two real example servers (Node processes) share one Redis, reached through the fault proxy, and one PostgreSQL
 * holding the data and the invalidation outbox. Mutations run on one server while Redis is hung, refusing, or
 * restarted empty, and while the relay is killed (SIGKILL) between its commits and their delivery. Once the fault
 * clears and the outbox is empty, a read-your-write checker reads every mutated product from both servers and
 * compares it with PostgreSQL: zero stale reads.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startExampleServer, type ExampleServer } from '../../helpers/exampleServer.js';
import { startFaultProxy } from '../../helpers/faultProxy.js';
import { postgresOrSkip, testDatabaseUrl } from '../../helpers/postgres.js';
import { dropPrefixed } from '../../helpers/pgTables.js';
import { eventually, onCleanup, ownRedisOrSkip, startRedisServer, uniquePrefix, type RedisServer } from '../../helpers/redis.js';

const PRODUCTS = ['40', '41', '42', '43', '44', '45'];

test('two servers, one Redis behind the fault proxy, one PostgreSQL: zero stale reads after each fault clears', async (t) => {
  const pool = await postgresOrSkip(t);
  const redis = pool && (await ownRedisOrSkip(t));
  if (!pool || !redis) return;
  let server: RedisServer = redis;
  onCleanup(t, () => server.stop());
  const proxy = await startFaultProxy(redis.port);
  onCleanup(t, () => proxy.close());
  const tablePrefix = `${uniquePrefix('rw').replace(/-/g, '_')}_`;
  onCleanup(t, () => dropPrefixed(pool, tablePrefix));
  const env = {
    DATABASE_URL: testDatabaseUrl,
    DATABASE_TABLE_PREFIX: tablePrefix,
    REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
    REDIS_PREFIX: uniquePrefix('rw'),
    // Each mutation made while Redis is hung or refusing waits this long for an acknowledgement that cannot come,
    // then leaves the invalidation to the outbox: 500 ms instead of the default 2 s (two dozen such mutations) changes
    // nothing this test checks, which happens after the fault cleared and the outbox emptied.
    REDIS_INVALIDATE_TIMEOUT_MS: '500',
  };
  const servers: ExampleServer[] = [];
  const start = async () => {
    const started = await startExampleServer(env);
    onCleanup(t, () => started.stop('SIGKILL'));
    return started;
  };
  // Started together: each spends a few seconds of one core loading, and they share nothing until they serve.
  servers.push(...(await Promise.all([start(), start()])));

  let price = 100;
  const truth = async (id: string) => (await pool.query(`SELECT price FROM ${tablePrefix}products WHERE id = $1`, [id])).rows[0].price as number;
  const readPrice = async (s: ExampleServer, id: string) => {
    const { body } = await s.graphql(`{ product(id: ${id}) { id price } }`);
    return (body.data as { product: { price: number } } | undefined)?.product.price;
  };
  const outboxEmpty = async () => Number((await pool.query(`SELECT count(*) AS n FROM ${tablePrefix}cachetag_outbox`)).rows[0].n) === 0;
  const mutate = async (s: ExampleServer, id: string) => {
    const { body } = await s.graphql(`mutation { updateProduct(id: ${id}, input: { price: ${++price} }) { id price } }`);
    assert.equal((body.data as { updateProduct: { price: number } }).updateProduct.price, price, JSON.stringify(body));
  };
  /** Mutations on the first server while the second keeps reading (and filling) every product. */
  const traffic = async () => {
    for (const id of PRODUCTS) {
      await Promise.all([mutate(servers[0]!, id), ...PRODUCTS.map((other) => readPrice(servers[1]!, other))]);
    }
  };
  /** The read-your-write checker: every product read twice from each server (the second read can be a hit). */
  const staleReads = async () => {
    let stale = 0;
    for (const id of PRODUCTS) {
      const expected = await truth(id);
      for (const s of servers) for (let i = 0; i < 2; i++) if ((await readPrice(s, id)) !== expected) stale++;
    }
    return stale;
  };
  const cleared = async (fault: string) => {
    assert.ok(await eventually(outboxEmpty, 20_000), `${fault}: the outbox emptied once the fault cleared`);
    const stale = await staleReads();
    console.log(`${fault}: ${stale} stale reads after the fault cleared`);
    assert.equal(stale, 0, `${fault}: stale reads after the fault cleared`);
  };

  // Warm both servers' cache.
  for (const s of servers) for (const id of PRODUCTS) await readPrice(s, id);
  assert.equal(await staleReads(), 0);

  proxy.blackhole();
  await traffic();
  proxy.heal();
  await cleared('Redis hung');

  proxy.cut();
  await traffic();
  proxy.heal();
  await cleared('Redis refusing');

  const restarted = traffic();
  await server.stop('SIGKILL');
  server = await startRedisServer({ port: redis.port });
  await restarted;
  await cleared('Redis restarted empty');

  // The relay killed between commit and delivery: the first server commits while Redis is hung, then dies.
  proxy.blackhole();
  for (const id of PRODUCTS) await mutate(servers[0]!, id);
  assert.equal(await outboxEmpty(), false, 'committed invalidations wait in the outbox');
  await servers[0]!.stop('SIGKILL');
  servers[0] = await start();
  proxy.heal();
  await cleared('relay killed between commit and delivery');
});

/**
 * The example server keeps its data on PostgreSQL when DATABASE_URL is set (tables created and seeded at start): a
 * mutation writes the row and its invalidation in one transaction, the relay empties the outbox, and the next read
 * (cached before) answers the new value.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startExampleServer } from '../../helpers/exampleServer.js';
import { postgresOrSkip, testDatabaseUrl } from '../../helpers/postgres.js';
import { dropPrefixed } from '../../helpers/pgTables.js';
import { connectOrSkip, eventually, onCleanup, uniquePrefix } from '../../helpers/redis.js';

test('the example on PostgreSQL and Redis: a mutation commits its row and its invalidation, and the next read is fresh', async (t) => {
  const pool = await postgresOrSkip(t);
  const redis = pool && (await connectOrSkip(t));
  if (!pool || !redis) return;
  const tablePrefix = `${uniquePrefix('ex').replace(/-/g, '_')}_`;
  onCleanup(t, () => dropPrefixed(pool, tablePrefix));
  const server = await startExampleServer({
    DATABASE_URL: testDatabaseUrl,
    DATABASE_TABLE_PREFIX: tablePrefix,
    REDIS_URL: `redis://127.0.0.1:${redis.port}`,
    REDIS_PREFIX: uniquePrefix('ex'),
  });
  onCleanup(t, () => server.stop());
  assert.match(server.banner, /on PostgreSQL/);
  const read = async () => (await server.graphql('{ product(id: 42) { name price } }')).body;
  assert.deepEqual(await read(), { data: { product: { name: 'Product 42', price: 5 } } });
  assert.deepEqual(await read(), { data: { product: { name: 'Product 42', price: 5 } } });
  const { body } = await server.graphql('mutation { updateProduct(id: 42, input: { price: 9.5 }) { id price } }');
  assert.deepEqual(body, { data: { updateProduct: { id: '42', price: 9.5 } } });
  assert.equal((await pool.query(`SELECT price FROM ${tablePrefix}products WHERE id = '42'`)).rows[0].price, 9.5, 'written to PostgreSQL');
  assert.deepEqual(await read(), { data: { product: { name: 'Product 42', price: 9.5 } } });
  assert.ok(
    await eventually(async () => Number((await pool.query(`SELECT count(*) AS n FROM ${tablePrefix}cachetag_outbox`)).rows[0].n) === 0),
    'the relay emptied the outbox',
  );
});

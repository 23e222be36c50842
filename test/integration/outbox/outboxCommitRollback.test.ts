/**
 * Transaction-aware invalidation on a real PostgreSQL and a real Redis: an invalidation enqueued in a transaction
 * reaches the cache after its commit (through relay(), or the started relay woken by NOTIFY) and never after a
 * rollback; the invalidations a mutation's result implies (cache.deferInvalidations through outbox.deferMutations) do
 * the same, in the request's transaction.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPgOutbox } from '../../../src/outbox/index.js';
import { connectOrSkip, eventually, onCleanup } from '../../helpers/redis.js';
import { postgresOrSkip, uniqueTable } from '../../helpers/postgres.js';
import { createOrgApp, outboxRows } from './support.js';

test('enqueue() in a committed transaction invalidates after relay(); in a rolled-back one, never', async (t) => {
  const pool = await postgresOrSkip(t);
  const redis = pool && (await connectOrSkip(t));
  if (!pool || !redis) return;
  const app = await createOrgApp(t, pool, redis);
  const outbox = createPgOutbox({ pool, cache: app.cache, table: uniqueTable(t, pool, 'outbox') });
  await outbox.setup();
  assert.equal(await app.readName('1'), 'Acme');
  assert.equal(await app.readName('1'), 'Acme');
  assert.equal(app.calls(), 1, 'cached');

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`UPDATE ${app.orgs} SET name = 'Rolled back' WHERE id = '1'`);
    await outbox.enqueue(client, ['Org:1']);
    await client.query('ROLLBACK');
    assert.equal(await outbox.relay(), 0, 'nothing to deliver after a rollback');
    assert.equal(await app.readName('1'), 'Acme');
    assert.equal(app.calls(), 1, 'still cached: the rolled-back invalidation never reached the cache');

    await client.query('BEGIN');
    await client.query(`UPDATE ${app.orgs} SET name = 'Committed' WHERE id = '1'`);
    await outbox.enqueue(client, ['Org:1']);
    assert.equal(await app.readName('1'), 'Acme', 'before the commit the cache still serves the committed state');
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  assert.equal(await outbox.relay(), 1);
  assert.equal(await outboxRows(pool, outbox.table), 0, 'the delivered row is deleted');
  assert.equal(await app.readName('1'), 'Committed');
  assert.equal(app.calls(), 2);
});

test('a mutation run in a transaction defers its invalidations to the commit: rollback drops them, commit delivers them', async (t) => {
  const pool = await postgresOrSkip(t);
  const redis = pool && (await connectOrSkip(t));
  if (!pool || !redis) return;
  const app = await createOrgApp(t, pool, redis);
  const outbox = createPgOutbox({ pool, cache: app.cache, table: uniqueTable(t, pool, 'outbox') });
  await outbox.setup();
  assert.equal(await app.readName('2'), 'Globex');

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const context = { client };
    outbox.deferMutations(app.cache, context, client);
    await app.rename('2', 'Never', context);
    assert.equal(await app.readName('2'), 'Globex', 'deferred: nothing invalidated before the commit');
    await client.query('ROLLBACK');
    assert.equal(await outbox.relay(), 0);
    assert.equal(await app.readName('2'), 'Globex');
    assert.equal(app.calls(), 1, 'the rolled-back mutation invalidated nothing');

    await client.query('BEGIN');
    const next = { client };
    outbox.deferMutations(app.cache, next, client);
    await app.rename('2', 'Initech', next);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  assert.equal(await outbox.relay(), 1);
  assert.equal(await app.readName('2'), 'Initech');
  assert.equal(app.calls(), 2);
});

test('the started relay delivers a commit on its own, woken by NOTIFY well before its poll', async (t) => {
  const pool = await postgresOrSkip(t);
  const redis = pool && (await connectOrSkip(t));
  if (!pool || !redis) return;
  const app = await createOrgApp(t, pool, redis);
  const outbox = createPgOutbox({ pool, cache: app.cache, table: uniqueTable(t, pool, 'outbox'), pollIntervalMs: 60_000 });
  await outbox.setup();
  await outbox.start();
  onCleanup(t, () => outbox.close());
  assert.equal(await app.readName('1'), 'Acme');
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`UPDATE ${app.orgs} SET name = 'Notified' WHERE id = '1'`);
    await outbox.enqueue(client, 'Org:1');
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  assert.ok(await eventually(async () => (await outboxRows(pool, outbox.table)) === 0, 5000), 'delivered without relay() or a poll');
  assert.equal(await app.readName('1'), 'Notified');
});

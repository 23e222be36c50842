/**
 * Losing Redis state never resurrects entries: a restart that loads an older
 * snapshot (the counter goes back in the same epoch) and a FLUSHALL (the
 * counter vanishes) both leave every earlier entry and fill unusable.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventually, onCleanup, ownRedisOrSkip, startRedisServer } from '../../helpers/redis.js';
import { entry, openStore, text } from './support.js';

test('a restart from an older snapshot does not serve entries whose invalidation was lost', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cachetag-restart-'));
  onCleanup(t, () => rmSync(dir, { recursive: true, force: true }));
  const server = await ownRedisOrSkip(t, { dir, args: ['--dbfilename', 'dump.rdb'] });
  if (!server) return;
  const store = await openStore(t, server, { readTimeoutMs: 1000, writeTimeoutMs: 1000 });

  const { seq } = await store.get(['product']);
  assert.equal(await store.set([entry('product', 'price 10', ['Product:1'], seq)]), 1);
  await server.admin.save();
  // After the snapshot: the price changes and the entry is invalidated...
  await store.invalidate(['Product:1']);
  assert.deepEqual((await store.get(['product'])).values, ['stale']);

  // ...then Redis crashes and comes back from the snapshot, without that invalidation.
  await server.stop();
  const again = await startRedisServer({ port: server.port, dir, args: ['--dbfilename', 'dump.rdb'] });
  onCleanup(t, () => again.stop());
  assert.ok(await eventually(async () => (await server.admin.exists(...(await server.admin.keys('*')))) > 0, 5000));
  assert.ok(await store.whenConnected());
  assert.ok(
    await eventually(async () => {
      try {
        return (await store.get(['product'])).values[0] !== undefined;
      } catch {
        return false;
      }
    }),
  );
  assert.deepEqual((await store.get(['product'])).values, ['stale'], 'the restored entry must not be served');

  const fresh = await store.get(['product']);
  assert.equal(await store.set([entry('product', 'price 12', ['Product:1'], fresh.seq)]), 1);
  assert.deepEqual((await store.get(['product'])).values.map(text), ['price 12']);
  await store.close(); // before the restarted server stops
  server.admin.disconnect();
});

test('FLUSHALL: earlier fills are dropped and the sequence starts a new epoch', async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  const store = await openStore(t, server, { readTimeoutMs: 1000, writeTimeoutMs: 1000 });

  const before = await store.get(['a']);
  await store.invalidate(['Product:1']);
  await store.invalidate(['Product:1']);
  const seqBefore = (await store.get([])).seq;
  await server.admin.flushall();

  // A fill whose lookup happened before the flush must not land after it.
  assert.equal(await store.set([entry('a', 'old', ['Product:2'], seqBefore), entry('b', 'older', [], before.seq)]), 0);
  const after = await store.get(['a', 'b']);
  assert.deepEqual(after.values, ['absent', 'absent']);
  assert.notEqual(after.seq, seqBefore);
  assert.notEqual(String(after.seq).slice(0, 16), String(seqBefore).slice(0, 16), 'a new epoch');
  assert.equal(await store.set([entry('a', 'new', ['Product:2'], after.seq)]), 1);
  assert.deepEqual((await store.get(['a'])).values.map(text), ['new']);
});

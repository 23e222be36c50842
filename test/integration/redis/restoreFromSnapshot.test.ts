/**
 * Redis restored from an older snapshot (SAVE, invalidate, restart from the
 * dump) loses an acknowledged invalidation. No process may trust what was
 * written before the restart: neither one that never saw the higher sequence,
 * nor one that did once unrelated invalidations push the sequence past its
 * old height. The store detects the restart on the Redis side (the server's
 * run_id is recorded with the shard's sequence) and starts a new epoch.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventually, onCleanup, ownRedisOrSkip, startRedisServer, uniquePrefix } from '../../helpers/redis.js';
import { entry, openStore, text } from './support.js';

test('after a restore from an older snapshot, no process serves entries written before it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cachetag-restore-'));
  onCleanup(t, () => rmSync(dir, { recursive: true, force: true }));
  const server = await ownRedisOrSkip(t, { dir, args: ['--dbfilename', 'dump.rdb'] });
  if (!server) return;
  const prefix = uniquePrefix('restore');
  const options = { prefix, readTimeoutMs: 1000, writeTimeoutMs: 1000 };
  // A never sees the invalidation; B makes it.
  const a = await openStore(t, server, options);
  const b = await openStore(t, server, options);

  const { seq } = await a.get(['product', 'other']);
  assert.equal(await a.set([entry('product', 'price 10', ['Product:1'], seq), entry('other', 'x', ['Product:2'], seq)]), 2);
  await server.admin.save();
  await b.invalidate(['Product:1']);
  assert.deepEqual((await b.get(['product'])).values, ['stale']);

  await server.stop();
  const again = await startRedisServer({ port: server.port, dir, args: ['--dbfilename', 'dump.rdb'] });
  onCleanup(t, () => again.stop());
  const readable = async (store: typeof a) =>
    eventually(async () => {
      try {
        await store.get([]);
        return true;
      } catch {
        return false;
      }
    }, 8000);
  // A reads first: B, which saw the higher sequence, would otherwise notice the counter went back.
  assert.ok(await readable(a));
  assert.deepEqual((await a.get(['product'])).values, ['stale'], 'a process that never saw the lost invalidation');
  // Unrelated invalidations push the restored sequence past the height B had seen.
  await a.invalidate(['Unrelated:1']);
  await a.invalidate(['Unrelated:2']);
  assert.ok(await readable(b));
  assert.deepEqual((await b.get(['product'])).values, ['stale'], 'a process that had seen it');
  const c = await openStore(t, { template: () => server.template() }, options);
  assert.deepEqual((await c.get(['product'])).values, ['stale'], 'a process started after the restore');

  const fresh = await c.get(['product']);
  assert.equal(await c.set([entry('product', 'price 12', ['Product:1'], fresh.seq)]), 1);
  assert.deepEqual((await a.get(['product'])).values.map(text), ['price 12'], 'the cache works again');
  for (const store of [a, b, c]) await store.close(); // before the restarted server stops
});

/**
 * On a single Redis, every store call is one command, hence one round trip:
 * one script for a `get` (entries and tag records read together), one for a
 * `set`, one for an `invalidate`. Counted with MONITOR on a private server,
 * which tells commands sent by clients from those run inside scripts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onCleanup, ownRedisOrSkip, sleep } from '../../helpers/redis.js';
import { entry, openStore } from './support.js';

test('get, set and invalidate are one script each on a single Redis', async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  const store = await openStore(t, server);
  // Calls are fenced by ECHOs from another connection: once a fence shows up
  // in MONITOR, every command sent before it has shown up too.
  const fence = server.admin.duplicate();
  onCleanup(t, () => fence.disconnect());
  await fence.ping();
  const monitor = await server.admin.monitor();
  onCleanup(t, () => monitor.disconnect());
  let seen: { command: string; source: string; arg: string }[] = [];
  monitor.on(
    'monitor',
    (_time: string, args: string[], source: string) => void seen.push({ command: String(args[0]).toLowerCase(), source, arg: String(args[1]) }),
  );
  let marker = 0;
  const waitForFence = async (): Promise<void> => {
    const tag = `fence-${++marker}`;
    await fence.echo(tag);
    for (let i = 0; i < 200 && !seen.some((s) => s.command === 'echo' && s.arg === tag); i++) await sleep(5);
  };
  const measure = async (call: () => Promise<unknown>): Promise<{ client: string[]; inside: number }> => {
    await waitForFence();
    seen = [];
    await call();
    await waitForFence();
    const mine = seen.filter((s) => s.command !== 'echo');
    return { client: mine.filter((s) => s.source !== 'lua').map((s) => s.command), inside: mine.filter((s) => s.source === 'lua').length };
  };

  const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
  const first = await store.get(keys);
  await store.set(keys.slice(0, 10).map((key, i) => entry(key, `v${i}`, [`Org:${i % 3}:stores:${i}`], first.seq)));
  await store.invalidate(['Org:1']);

  const get = await measure(() => store.get(keys));
  assert.deepEqual(get.client, ['evalsha'], 'a get of 20 keys (hits, misses, stale) is one EVALSHA');
  assert.ok(get.inside > 20, `the script did the reading (${get.inside} commands inside)`);

  const { seq } = await store.get([]);
  const set = await measure(() => store.set(keys.map((key, i) => entry(key, `w${i}`, [`Org:${i % 3}:stores:${i}`], seq))));
  assert.deepEqual(set.client, ['evalsha'], 'a set of 20 entries is one EVALSHA');

  assert.deepEqual((await measure(() => store.invalidate(['Org:2', 'Product:1', 'Product:2']))).client, ['evalsha'], 'an invalidate is one EVALSHA');
  assert.deepEqual((await measure(() => store.get([]))).client, ['evalsha'], 'an empty get is one EVALSHA');
});

/**
 * One large fill (four lists of 10,000 entities, each entry carrying its
 * entities' tags) must not stall other instances: it is split into scripts of at most
 * MAX_TAGS_PER_SCRIPT tag records (about 5 ms each on an idle machine,
 * against 60-800 ms for one script before), so small reads from another
 * process queued behind them still meet the 50 ms read deadline. Script
 * sizes and durations are read from Redis's SLOWLOG on a private server.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { onCleanup, ownRedisOrSkip, uniquePrefix } from '../../helpers/redis.js';
import { MAX_TAGS_PER_SCRIPT } from '../../../src/stores/redis/shardFill.js';
import { entry, entryKey, openStore } from './support.js';

test('a fill of four lists of 10,000 tagged entities runs in bounded scripts and starves no read', async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  const prefix = uniquePrefix('large');
  const filler = await openStore(t, server, { prefix, writeTimeoutMs: 10_000 });
  const { seq } = await filler.get([]);
  assert.equal(await filler.set([entry('small', 'small value', ['Small:1'], seq)]), 1);

  const lists = Array.from({ length: 4 }, (_, l) =>
    entry(
      `list:${l}`,
      Buffer.alloc(200_000, l),
      Array.from({ length: 10_000 }, (_, i) => `Product:${l * 10_000 + i}`),
      seq,
    ),
  );
  await server.admin.config('SET', 'slowlog-log-slower-than', '0');
  await server.admin.config('SET', 'slowlog-max-len', '100000');
  await server.admin.slowlog('RESET');

  // Small reads from another instance, every few ms, while the large fill runs.
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/redis/largeFillReaderChild.ts', String(server.port), prefix], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  onCleanup(t, () => void child.kill());
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  assert.equal((await lines.next()).value, 'ready');
  await new Promise((resolve) => setTimeout(resolve, 100));
  const written = await filler.set(lists);
  await new Promise((resolve) => setTimeout(resolve, 50));
  child.stdin!.write('stop\n');
  const reads = JSON.parse(String((await lines.next()).value)) as string[];
  const log = (await server.admin.slowlog('GET', 100000)) as [number, number, number, string[]][];
  const scripts = log.filter((e) => /^eval/i.test(String(e[3][0])));
  const longest = Math.max(...scripts.map((e) => e[2] / 1000));
  const mostKeys = Math.max(...scripts.map((e) => Number(e[3][2])));
  const missed = reads.filter((r) => r !== 'small value').length;
  console.log(
    `${scripts.length} scripts; longest ${longest.toFixed(1)} ms, most keys ${mostKeys}; ${reads.length} reads during the fill, ${missed} not served`,
  );
  assert.equal(written, 4, 'the large lists are written');
  assert.equal(await server.admin.exists(...lists.map((l) => entryKey(prefix, l.key))), 4);
  // Wall time inside Redis depends on the machine's load; the bound on the work of one script does not.
  assert.ok(mostKeys <= MAX_TAGS_PER_SCRIPT + 1, `a script touched ${mostKeys} keys`);
  assert.ok(reads.length > 10 && missed <= reads.length / 10, `${missed} of ${reads.length} small reads were not served`);
});

test('a chunked fill whose tag was invalidated after its fetch is dropped, like any fill', async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  const store = await openStore(t, server, { prefix: uniquePrefix('large'), writeTimeoutMs: 10_000 });
  const tags = Array.from({ length: 3_000 }, (_, i) => `Product:${i}`);
  const { seq } = await store.get([]);
  await store.invalidate(['Product:2999']);
  assert.equal(await store.set([entry('late', 'late list', tags, seq)]), 0, 'late: its last chunk holds an invalidated tag');
  const now = (await store.get([])).seq;
  assert.equal(await store.set([entry('list', 'list', tags, now)]), 1);
  await store.invalidate(['Product:1500']);
  assert.deepEqual((await store.get(['list'])).values, ['stale']);
});

/**
 * Zero lost invalidations when the process that committed them dies: a real child process commits 50 transactions,
 * each with an invalidation in the outbox, and is killed with SIGKILL before relaying them (or while relaying them to a
 * cache that never answered, holding the rows and the relay lock); a relay started afterwards in another process
 * delivers every one to Redis.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test, type TestContext } from 'node:test';
import { createCache } from '../../../src/index.js';
import { createPgOutbox } from '../../../src/outbox/index.js';
import { createRedisStore } from '../../../src/stores/redis/index.js';
import { connectOrSkip, eventually, onCleanup, uniquePrefix } from '../../helpers/redis.js';
import { postgresOrSkip, testDatabaseUrl, uniqueTable } from '../../helpers/postgres.js';
import { entry } from '../redis/support.js';
import { outboxRows } from './support.js';

const COUNT = 50;

async function killedWriter(t: TestContext, mode: 'stall' | 'mid-relay') {
  const pool = await postgresOrSkip(t);
  const redis = pool && (await connectOrSkip(t));
  if (!pool || !redis) return;
  const store = createRedisStore({ client: redis.template(), prefix: uniquePrefix('crash') });
  const cache = createCache({ store, strict: true });
  onCleanup(t, () => cache.close());
  if (!(await store.whenConnected())) throw new Error('the Redis store did not connect');
  const outbox = createPgOutbox({ pool, cache, table: uniqueTable(t, pool, 'outbox'), pollIntervalMs: 100 });
  await outbox.setup();
  const { seq } = await store.get([]);
  const keys = Array.from({ length: COUNT }, (_, i) => `org-${i}`);
  assert.equal(await store.set(keys.map((key, i) => entry(key, 'old', [`Org:${i}`], seq))), COUNT);

  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./fixtures/commitThenDie.ts', import.meta.url).pathname, testDatabaseUrl, outbox.table, String(COUNT), mode],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout!.setEncoding('utf8');
  const ready = mode === 'stall' ? 'committed' : 'delivering';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes(ready)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the writer exited with ${code} before "${ready}": ${output}`)));
  });
  child.kill('SIGKILL');
  await once(child, 'exit');
  assert.equal(await outboxRows(pool, outbox.table), COUNT, 'the killed process delivered nothing and its rows are committed');
  assert.deepEqual(
    new Set((await store.get(keys)).values.map((v) => (v instanceof Uint8Array ? 'cached' : v))),
    new Set(['cached']),
    'nothing invalidated yet',
  );

  await outbox.start();
  onCleanup(t, () => outbox.close());
  assert.ok(await eventually(async () => (await outboxRows(pool, outbox.table)) === 0, 10_000), 'the new relay delivered every row');
  const values = (await store.get(keys)).values;
  const lost = values.filter((v) => v !== 'stale').length;
  assert.equal(lost, 0, `${lost} of ${COUNT} invalidations lost`);
}

test('a writer killed (SIGKILL) after committing and before relaying: a new relay delivers all 50, none lost', (t) => killedWriter(t, 'stall'));

test('a writer killed (SIGKILL) in the middle of relaying (cache never answered): a new relay delivers all 50, none lost', (t) => killedWriter(t, 'mid-relay'));

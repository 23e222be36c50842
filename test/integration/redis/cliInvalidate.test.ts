/**
 * `cachetag invalidate` against real Redis, run as a child process as an
 * operator would: it waits for the connection, says how many tags Redis
 * acknowledged, and exits non-zero with a clear message when Redis did not
 * acknowledge (here: nothing listens on the port).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { connectOrSkip, freePort, LOOPBACK, uniquePrefix } from '../../helpers/redis.js';
import { entry, openStore, text } from './support.js';

const run = promisify(execFile);

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

test('cachetag invalidate: the entry carrying the tag is no longer served, and the count is printed', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('cli');
  const store = await openStore(t, redis, { prefix });
  const { seq } = await store.get([]);
  assert.equal(await store.set([entry('org', 'Org one', ['Org:1'], seq), entry('other', 'Org two', ['Org:2'], seq)]), 2);

  const result = await cli('invalidate', '--redis', `redis://${LOOPBACK}:${redis.port}`, '--prefix', prefix, 'Org:1');
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.trim(), 'invalidated 1 tag (acknowledged by Redis): Org:1');
  assert.equal(result.stderr, '');
  assert.deepEqual((await store.get(['org', 'other'])).values.map(text), ['stale', 'Org two']);
});

test('cachetag invalidate: exits 1 with a clear message when Redis is unreachable', async () => {
  const port = await freePort();
  const result = await cli('invalidate', '--redis', `redis://${LOOPBACK}:${port}`, '--timeout', '300', 'Org:1', 'Org:2');
  assert.equal(result.code, 1);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^cachetag invalidate: Redis did not acknowledge the invalidation of 2 tags within 300 ms/);
  assert.match(result.stderr, /nothing was invalidated/);
});

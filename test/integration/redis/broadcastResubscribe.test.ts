/**
 * The invalidation subscriber resubscribes itself on every 'ready', with its promise handled. ioredis's own
 * autoResubscribe sends SUBSCRIBE on reconnection without handling the promise, so a connection that drops right after
 * becoming ready left an unhandled rejection in the user's process ("Connection is closed.", seen in CI), which
 * Node's default `--unhandled-rejections=throw` turns into a crash.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Redis } from 'ioredis';
import { subscribeToInvalidations } from '../../../src/stores/redis/invalidationBroadcast.js';
import { createHybridLogicalClock } from '../../../src/stores/redis/hlc.js';
import { connectOrSkip, eventually } from '../../helpers/redis.js';

test('a subscriber whose connection drops right after each reconnection leaves no unhandled rejection', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  t.after(() => process.off('unhandledRejection', onUnhandled));

  // Catch the subscriber the broadcast duplicates from the template, to cut its socket at will.
  const template = redis.template();
  let subscriber: Redis | undefined;
  const duplicate = template.duplicate.bind(template);
  template.duplicate = ((...args: Parameters<Redis['duplicate']>) => (subscriber = duplicate(...args))) as Redis['duplicate'];
  let healthy = false;
  const broadcast = subscribeToInvalidations(template, `resubscribe-${process.pid}`, 1000, createHybridLogicalClock(), {
    message: () => {},
    health: (next) => (healthy = next),
  });
  t.after(() => broadcast.close());
  assert.ok(await eventually(() => healthy, 5000), 'subscribed');

  // Five times: drop the connection, and drop it again just after it is ready (while resubscribing).
  let readies = 0;
  subscriber!.on('ready', () => {
    readies++;
    if (readies <= 5) setImmediate(() => (subscriber as unknown as { stream: { destroy(): void } }).stream.destroy());
  });
  (subscriber as unknown as { stream: { destroy(): void } }).stream.destroy();
  assert.ok(await eventually(() => readies > 5 && healthy, 10_000), 'resubscribed after the drops');
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(
    unhandled.map((e) => String((e as Error)?.message ?? e)),
    [],
  );
});

/**
 * The Redis every Redis contender and the driver talk to. It is shared with
 * other people's tests, so: loopback only, every key under a prefix unique to
 * one run, and no FLUSHALL/FLUSHDB ever (the clients handed to peers have
 * those commands disabled, since async-cache-dedupe's `clear()` would
 * otherwise wipe the whole server).
 */
import { Redis, type RedisOptions } from 'ioredis';

/** The default Redis: the shared one on loopback. */
export const defaultRedisUrl = 'redis://127.0.0.1:6379';

/** `BENCH_REDIS_URL`, or {@link defaultRedisUrl}; refuses anything but a loopback host. */
export function redisUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.BENCH_REDIS_URL || defaultRedisUrl;
  const host = new URL(url).hostname;
  if (!(host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host))) {
    throw new Error(`BENCH_REDIS_URL must point at a loopback address (127.0.0.0/8, localhost or ::1); received ${url}.`);
  }
  return url;
}

/**
 * The key namespace a contender must use, as handed down by the driver
 * (`BENCH_REDIS_NAMESPACE`), without a trailing separator: peers put their
 * keys under `<namespace>:`, cachetag under `{<namespace>:…}` (its keys carry
 * the prefix inside a hash tag). At most 64 characters, no braces or spaces.
 */
export function redisNamespaceFromEnv(contender: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.BENCH_REDIS_NAMESPACE || `ctb:${contender}:${process.pid}`;
}

/** An ioredis client with FLUSHALL and FLUSHDB disabled (its duplicates are not guarded). */
export function createGuardedRedis(options: RedisOptions = {}): Redis {
  const redis = new Redis(redisUrlFromEnv(), { lazyConnect: false, maxRetriesPerRequest: 2, ...options });
  const refuse = (command: string) => () => Promise.reject(new Error(`${command} is disabled in the benchmark: the Redis on 6379 is shared.`));
  Object.assign(redis, { flushall: refuse('FLUSHALL'), flushdb: refuse('FLUSHDB') });
  return redis;
}

/**
 * Deletes every key of a namespace (`<namespace>:*` and `{<namespace>:*`)
 * with SCAN + UNLINK; run after a measurement, never during one. Resolves
 * to the number of keys removed.
 */
export async function deleteNamespace(redis: Redis, namespace: string): Promise<number> {
  let removed = 0;
  for (const pattern of [`${escapeGlob(namespace)}:*`, `{${escapeGlob(namespace)}:*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) removed += await redis.unlink(...keys);
    } while (cursor !== '0');
  }
  return removed;
}

/** Snapshot of `INFO commandstats`: calls per command. */
export async function readCommandCalls(redis: Redis): Promise<Map<string, number>> {
  const text = await redis.info('commandstats');
  const calls = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (match) calls.set(match[1]!, Number(match[2]));
  }
  return calls;
}

/**
 * Commands executed between two snapshots, leaving out the `INFO` calls that
 * took the snapshots. Other clients of the shared Redis are counted too.
 */
export function commandsBetween(before: Map<string, number>, after: Map<string, number>): { total: number; byCommand: Record<string, number> } {
  const byCommand: Record<string, number> = {};
  let total = 0;
  for (const [command, calls] of after) {
    const delta = calls - (before.get(command) ?? 0);
    if (delta <= 0 || command === 'info') continue;
    byCommand[command] = delta;
    total += delta;
  }
  return { total, byCommand };
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

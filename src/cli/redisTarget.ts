/**
 * The Redis options every operator command shares (--redis, --cluster,
 * --prefix, --shards) and a connection that fails within a deadline instead
 * of retrying forever, so a command against a wrong address exits promptly.
 */
import type { Cluster, Redis } from 'ioredis';
import type { RedisInspector } from '../stores/redis/inspect.js';
import { UsageError } from './exitCodes.js';

/** parseArgs options of the shared flags (--url and --token name a server's admin endpoints instead, see adminTarget.ts). */
export const redisOptions = {
  redis: { type: 'string' },
  url: { type: 'string' },
  token: { type: 'string' },
  cluster: { type: 'boolean', default: false },
  prefix: { type: 'string' },
  shards: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

export interface RedisFlags {
  redis?: string | undefined;
  cluster?: boolean | undefined;
  prefix?: string | undefined;
  shards?: string | undefined;
}

/** How long a command waits for Redis to connect. */
export const connectTimeoutMs = 5000;

/** Connects, runs `use` with an inspector over the connection, and disconnects. */
export async function withInspector<T>(flags: RedisFlags, use: (inspector: RedisInspector, client: Redis | Cluster) => Promise<T>): Promise<T> {
  if (!flags.redis) throw new UsageError('name a target: --redis <url> (redis://host:port/db), or --url <admin url> (a server mounting cacheAdmin).');
  const shards = flags.shards === undefined ? undefined : Number(flags.shards);
  if (shards !== undefined && (!Number.isInteger(shards) || shards < 1)) throw new Error(`--shards expects a positive integer; received ${flags.shards}.`);
  const { Redis, Cluster } = await import('ioredis');
  const { createRedisInspector } = await import('../stores/redis/inspect.js');
  const url = new URL(flags.redis);
  const client = flags.cluster
    ? new Cluster([{ host: url.hostname, port: Number(url.port || 6379) }], { lazyConnect: true, clusterRetryStrategy: () => null })
    : new Redis(flags.redis, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 1 });
  client.on('error', () => {}); // Reported by connect() or the command that fails; ioredis would print it otherwise.
  try {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`could not connect to Redis at ${flags.redis} within ${connectTimeoutMs} ms.`)), connectTimeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    const inspector = createRedisInspector({ client, ...(flags.prefix ? { prefix: flags.prefix } : {}), ...(shards ? { shards } : {}) });
    return await use(inspector, client);
  } catch (error) {
    if (error instanceof Error && /ECONNREFUSED|connect|Connection is closed/i.test(error.message) && !error.message.includes(String(flags.redis))) {
      throw new Error(`could not connect to Redis at ${flags.redis} (${error.message}).`, { cause: error });
    }
    throw error;
  } finally {
    client.disconnect();
  }
}

/** Tells a human how far a scan got, on a terminal only (scripts and --json output stay clean). */
export function progress(keys: number): void {
  if (process.stderr.isTTY) process.stderr.write(`\rscanned ${keys} keys`);
}

/** Ends a progress line. */
export function progressDone(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
}

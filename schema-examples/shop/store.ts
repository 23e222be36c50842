/**
 * The example's store, from the environment:
 * - nothing: the embedded in-memory store;
 * - `REDIS_URL=redis://127.0.0.1:6379`: a Redis;
 * - `REDIS_CLUSTER=127.0.0.1:7000,127.0.0.1:7001`: a Redis Cluster (seed nodes).
 * `REDIS_PREFIX` sets the key prefix (default `cachetag`); `REDIS_READ_TIMEOUT_MS`, `REDIS_WRITE_TIMEOUT_MS` and
 * `REDIS_INVALIDATE_TIMEOUT_MS` the store's deadlines (defaults 50, 250 and 2,000 ms; the tests raise the first two so
 * that a loaded machine does not decide outcomes, and lower the last where Redis is down on purpose, so that each
 * mutation does not wait 2 s for an acknowledgement that cannot come).
 */
import { Cluster, Redis } from 'ioredis';
import { createMemoryStore, type Store } from '../../src/index.js';
import { createRedisStore } from '../../src/stores/redis/index.js';

export interface StoreChoice {
  store: Store;
  /** Where it lives, for the startup banner. */
  describe: string;
  close(): Promise<void>;
}

export async function storeFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<StoreChoice> {
  const prefix = {
    ...(env.REDIS_PREFIX ? { prefix: env.REDIS_PREFIX } : {}),
    ...(env.REDIS_READ_TIMEOUT_MS ? { readTimeoutMs: Number(env.REDIS_READ_TIMEOUT_MS) } : {}),
    ...(env.REDIS_WRITE_TIMEOUT_MS ? { writeTimeoutMs: Number(env.REDIS_WRITE_TIMEOUT_MS) } : {}),
    ...(env.REDIS_INVALIDATE_TIMEOUT_MS ? { invalidateTimeoutMs: Number(env.REDIS_INVALIDATE_TIMEOUT_MS) } : {}),
  };
  if (env.REDIS_CLUSTER) {
    const nodes = env.REDIS_CLUSTER.split(',').map((hostPort) => {
      const [host, port] = hostPort.trim().split(':');
      return { host: host || '127.0.0.1', port: Number(port || 6379) };
    });
    const client = new Cluster(nodes, { lazyConnect: true });
    const store = createRedisStore({ client, ...prefix });
    await store.whenConnected();
    return { store, describe: `Redis Cluster (${env.REDIS_CLUSTER})`, close: async () => client.disconnect() };
  }
  if (env.REDIS_URL) {
    const client = new Redis(env.REDIS_URL, { lazyConnect: true });
    const store = createRedisStore({ client, ...prefix });
    await store.whenConnected();
    return { store, describe: `Redis (${env.REDIS_URL})`, close: async () => client.disconnect() };
  }
  return { store: createMemoryStore(), describe: 'in-memory store', close: async () => undefined };
}

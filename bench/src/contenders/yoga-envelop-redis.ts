/**
 * Yoga + envelop's response cache on Redis (@envelop/response-cache-redis).
 * That store writes bare keys (`Product:42`, the response hashes, typename
 * sets), so the client gets an ioredis `keyPrefix` to keep them apart on the
 * shared Redis; invalidation by entity id works unchanged under a prefix.
 */
import { createRedisCache } from '@envelop/response-cache-redis';
import type { Cache } from '@graphql-yoga/plugin-response-cache';
import { createGuardedRedis, redisNamespaceFromEnv } from '../lib/redisTarget.js';
import { createContenderRuntime, meterRedisCommands } from './shared/serve.js';
import { serveYoga } from './shared/yoga.js';

meterRedisCommands();
const runtime = createContenderRuntime('yoga-envelop-redis');
const redis = createGuardedRedis({ keyPrefix: `${redisNamespaceFromEnv(runtime.name)}:` });
await serveYoga(runtime, {
  cache: createRedisCache({ redis }) as Cache,
  close: async () => {
    await redis.quit();
  },
});

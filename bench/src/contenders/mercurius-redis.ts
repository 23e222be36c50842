/**
 * Mercurius + mercurius-cache on Redis (async-cache-dedupe's Redis storage)
 * with reference invalidation. The client gets an ioredis `keyPrefix` for the
 * shared Redis; the policy uses exact references only (no wildcards, which
 * would go through KEYS and bypass the prefix). No reference GC runs during
 * a run: mercurius-cache leaves scheduling it to the application.
 */
import { createGuardedRedis, redisNamespaceFromEnv } from '../lib/redisTarget.js';
import { createContenderRuntime, meterRedisCommands } from './shared/serve.js';
import { serveMercurius } from './shared/mercurius.js';
import { maxAgeSeconds } from '../schema.js';

meterRedisCommands();
const runtime = createContenderRuntime('mercurius-redis');
const redis = createGuardedRedis({ keyPrefix: `${redisNamespaceFromEnv(runtime.name)}:` });
await serveMercurius(runtime, {
  storage: { type: 'redis', options: { client: redis, invalidation: { invalidate: true, referencesTTL: maxAgeSeconds } } },
  close: async () => {
    await redis.quit();
  },
});

/**
 * `cachetag/redis`: the Redis store. ioredis is an optional peer dependency;
 * this entry point only needs the client you pass in.
 */
export { createRedisStore, type RedisStore } from './redisStore.js';
export {
  defaultBreakerCooldownMs,
  defaultBreakerThreshold,
  defaultClusterShards,
  defaultInvalidateTimeoutMs,
  defaultOnError,
  defaultPrefix,
  defaultReadTimeoutMs,
  defaultSocketTimeoutMs,
  defaultStandaloneShards,
  defaultTagTtlMarginMs,
  defaultWriteTimeoutMs,
  MAX_SHARDS,
  type RedisStoreOperation,
  type RedisStoreOptions,
} from './options.js';
export type { BreakerState } from '../wrappers/breaker.js';
export {
  defaultLocalGapMs,
  defaultLocalMaxAgeMs,
  defaultLocalMaxBytes,
  defaultLocalMaxEntries,
  defaultLocalPingMs,
  defaultLocalPollMs,
  type LocalTierMode,
  type LocalTierOptions,
} from './localTierOptions.js';
export type { LocalTierStats } from './localTier.js';
export { defaultLeaseWaitMs, type LeaseOptions } from './leases.js';
export { STORE_FORMAT_VERSION } from './layout.js';
export { invalidationChannel, parseInvalidationMessage, type InvalidationMessage } from './invalidationBroadcast.js';
export { defaultSource } from './invalidationPublish.js';
export type { HlcTimestamp } from './hlc.js';

/** The Redis store's options: their defaults, beside each, and their validation at construction (naming the option). */
import type { Cluster, Redis } from 'ioredis';
import { type CacheTagError, invalidOption } from '../../errors.js';
import { defaultMaxValueBytes } from '../../codec/codec.js';
import { type LeaseOptions, resolveLeaseOptions } from './leases.js';
import { defaultBreakerCooldownMs, defaultBreakerThreshold } from '../wrappers/withBreaker.js';
import { defaultReadTimeoutMs, defaultWriteTimeoutMs } from '../wrappers/withDeadline.js';

// The deadlines and breaker are those of the store wrappers (withDeadline.ts, withBreaker.ts), with their defaults.
export { defaultBreakerCooldownMs, defaultBreakerThreshold, defaultReadTimeoutMs, defaultWriteTimeoutMs };
/**
 * Default deadline of the Redis store's `invalidate`, in milliseconds: longer than a fill's (`writeTimeoutMs`), because
 * a fill that misses its deadline costs one cache miss, while an invalidation that misses it leaves other processes
 * serving the old entries until a retry lands. A mutation waiting a little longer is the cheaper failure.
 */
export const defaultInvalidateTimeoutMs = 2000;
import { defaultSource } from './invalidationPublish.js';
import { type LocalTierOptions, type ResolvedLocalTierOptions, resolveLocalTierOptions } from './localTierOptions.js';

/** Default key prefix. */
export const defaultPrefix = 'cachetag';
/** Default number of shards for a standalone Redis: one, so a lookup is one script. */
export const defaultStandaloneShards = 1;
/** Default number of shards for a Redis Cluster: enough to spread over a dozen primaries or so. */
export const defaultClusterShards = 16;
/**
 * The least extra lifetime of tag records beyond the entries that depend on
 * them, in milliseconds: a record written for an entry of TTL t lives
 * t + max(t, margin), and is rewritten only when an entry needs it to live
 * longer than it has left.
 */
export const defaultTagTtlMarginMs = 60_000;
/** A socket with commands pending and no data received for this long is dropped and reopened, in milliseconds. */
export const defaultSocketTimeoutMs = 1000;
/** Largest shard count accepted. */
export const MAX_SHARDS = 256;

/** What the store was doing when an error was reported. */
export type RedisStoreOperation = 'set' | 'invalidate' | 'close';

export interface RedisStoreOptions {
  /**
   * An ioredis `Redis` or `Cluster` used as a template: the store opens its
   * own connection(s) with `client.duplicate(...)`, overriding the settings
   * cache traffic needs (no offline queue, no per-request retries, a socket
   * timeout, eager background connection), and closes them in `close()`. Your
   * client is left untouched; it may be one that never connects
   * (`new Redis({ lazyConnect: true, ... })`).
   */
  client: Redis | Cluster;
  /** Namespace of every key; two stores with different prefixes never see each other's entries. Default {@link defaultPrefix}. */
  prefix?: string;
  /**
   * Shards of the invalidation sequence (see the design notes of the store).
   * Default {@link defaultStandaloneShards} for `Redis`, {@link defaultClusterShards}
   * for `Cluster`. All processes sharing a prefix must use the same value.
   */
  shards?: number;
  /** Deadline of `get`, in milliseconds. Default {@link defaultReadTimeoutMs}. */
  readTimeoutMs?: number;
  /** Deadline of `set` (a fill), in milliseconds: past it the fill is dropped and reported. Default {@link defaultWriteTimeoutMs}. */
  writeTimeoutMs?: number;
  /**
   * Deadline of `invalidate`, in milliseconds: it waits for the connection and Redis's answer within it, and `close`
   * keeps delivering pending invalidations for as long. Default {@link defaultInvalidateTimeoutMs}.
   */
  invalidateTimeoutMs?: number;
  /** Values larger than this are neither written nor served, in bytes. Default `defaultMaxValueBytes` (8 MiB). */
  maxValueBytes?: number;
  /** Consecutive failures that open the circuit breaker. Default {@link defaultBreakerThreshold}. */
  breakerThreshold?: number;
  /** Time the open breaker waits before a probe, in milliseconds. Default {@link defaultBreakerCooldownMs}. */
  breakerCooldownMs?: number;
  /**
   * Least extra lifetime of tag records beyond the entries that depend on
   * them, in milliseconds: a record written for an entry of TTL t lives
   * t + max(t, tagTtlMarginMs). Longer means fewer record rewrites on fills.
   * Default {@link defaultTagTtlMarginMs}.
   */
  tagTtlMarginMs?: number;
  /** Socket timeout of the store's connections, in milliseconds. Default {@link defaultSocketTimeoutMs}. */
  socketTimeoutMs?: number;
  /**
   * Told about failures the store absorbs: a `set` that could not be written,
   * pending invalidations left at `close()`. `get` and `invalidate` failures
   * are not reported here: they reject, and their caller reports. Default:
   * the failure channel of the cache the store is given to (counted in
   * `stats().errors`, warned through `createCache({ logger })` once per
   * operation and error code); before that, or for a store used alone,
   * {@link defaultOnError} (`console`).
   */
  onError?: (error: CacheTagError, operation: RedisStoreOperation) => void;
  /**
   * An in-process tier in front of Redis (localTier.ts, README "Running several instances"): `true` or options.
   * Default: none.
   */
  local?: boolean | LocalTierOptions;
  /** Leases across instances on a miss (leases.ts, README "Running several instances"): `true` or options. Default: none. */
  leases?: boolean | LeaseOptions;
  /**
   * This process's label in the invalidations the store publishes on `<prefix>:invalidations` (their `source`, shown
   * by `cachetag watch`). Default {@link defaultSource}: `<hostname>:<pid>`.
   */
  source?: string;
}

const warned = new Set<string>();

/**
 * Warns once per operation and error code for the life of the process, on `console`. A store created without
 * `onError` and handed to `createCache` reports through the cache's failure channel instead (its logger and
 * `stats().errors`, see `StoreHost.report`).
 */
export function defaultOnError(error: CacheTagError, operation: RedisStoreOperation): void {
  const key = `${operation}:${error.code}`;
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(`cachetag: Redis store ${operation} failed (further ${error.code} warnings for ${operation} are suppressed): ${error.message}`);
}

export interface ResolvedOptions {
  readonly client: Redis | Cluster;
  readonly prefix: string;
  readonly shards: number;
  readonly readTimeoutMs: number;
  readonly writeTimeoutMs: number;
  readonly invalidateTimeoutMs: number;
  readonly maxValueBytes: number;
  readonly breakerThreshold: number;
  readonly breakerCooldownMs: number;
  readonly tagTtlMarginMs: number;
  readonly socketTimeoutMs: number;
  readonly onError: (error: CacheTagError, operation: RedisStoreOperation) => void;
  /** True when the user passed `onError` (then `createCache` does not reroute the store's warnings). */
  readonly ownOnError: boolean;
  readonly local: ResolvedLocalTierOptions | undefined;
  readonly leases: Required<LeaseOptions> | undefined;
  readonly source: string;
}

const factory = 'createRedisStore';

/** Validates options at construction; throws `INVALID_OPTION` naming the option, what was expected and what was received. */
export function resolveOptions(options: RedisStoreOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw invalidOption(factory, 'options', 'an object with a "client"', options);
  const client = options.client as unknown;
  if (typeof client !== 'object' || client === null || typeof (client as { duplicate?: unknown }).duplicate !== 'function') {
    throw invalidOption(factory, 'client', 'an ioredis Redis or Cluster instance', client);
  }
  const isCluster = (client as { isCluster?: unknown }).isCluster === true;
  const prefix = options.prefix ?? defaultPrefix;
  if (typeof prefix !== 'string' || !/^[^{}\s]{1,64}$/.test(prefix)) {
    throw invalidOption(factory, 'prefix', 'a string of 1 to 64 characters without braces or whitespace', prefix);
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw invalidOption(factory, 'onError', 'a function', options.onError);
  }
  return {
    client: client as Redis | Cluster,
    prefix,
    shards: integer('shards', options.shards ?? (isCluster ? defaultClusterShards : defaultStandaloneShards), 1, MAX_SHARDS),
    readTimeoutMs: integer('readTimeoutMs', options.readTimeoutMs ?? defaultReadTimeoutMs, 1, 60_000),
    writeTimeoutMs: integer('writeTimeoutMs', options.writeTimeoutMs ?? defaultWriteTimeoutMs, 1, 60_000),
    invalidateTimeoutMs: integer('invalidateTimeoutMs', options.invalidateTimeoutMs ?? defaultInvalidateTimeoutMs, 1, 60_000),
    maxValueBytes: integer('maxValueBytes', options.maxValueBytes ?? defaultMaxValueBytes, 1, 512 * 1024 * 1024),
    breakerThreshold: integer('breakerThreshold', options.breakerThreshold ?? defaultBreakerThreshold, 1, 1_000_000),
    breakerCooldownMs: integer('breakerCooldownMs', options.breakerCooldownMs ?? defaultBreakerCooldownMs, 1, 3_600_000),
    tagTtlMarginMs: integer('tagTtlMarginMs', options.tagTtlMarginMs ?? defaultTagTtlMarginMs, 0, 365 * 24 * 3_600_000),
    socketTimeoutMs: integer('socketTimeoutMs', options.socketTimeoutMs ?? defaultSocketTimeoutMs, 1, 3_600_000),
    onError: options.onError ?? defaultOnError,
    ownOnError: options.onError !== undefined,
    local: resolveLocalTierOptions(options.local),
    leases: resolveLeaseOptions(options.leases),
    source: resolveSource(options.source),
  };
}

function resolveSource(source: unknown): string {
  if (source === undefined) return defaultSource();
  if (typeof source !== 'string' || source.length === 0 || source.length > 200)
    throw invalidOption(factory, 'source', 'a string of 1 to 200 characters', source);
  return source;
}

function integer(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidOption(factory, option, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

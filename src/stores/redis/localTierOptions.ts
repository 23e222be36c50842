/**
 * Options of the Redis store's in-process tier (`createRedisStore({ local })`,
 * localTier.ts), validated at construction.
 */
import { invalidOption } from '../../errors.js';

export const defaultLocalMaxEntries = 10_000;
export const defaultLocalMaxBytes = 64 * 1024 * 1024;
export const defaultLocalMaxAgeMs = 10_000;
export const defaultLocalGapMs = 100;
export const defaultLocalPollMs = 250;
export const defaultLocalPingMs = 1000;

/** The in-process tier's mode. */
export type LocalTierMode =
  /** Every `get` checks, in its one round trip to Redis, that no shard an entry depends on moved; zero stale reads. */
  | 'strict'
  /** Hits are answered from memory with no round trip; invalidations arrive by pub/sub (bounded staleness). */
  | 'fast';

export interface LocalTierOptions {
  /** Default `'strict'`. */
  mode?: LocalTierMode;
  /** Most entries held. Default {@link defaultLocalMaxEntries}. */
  maxEntries?: number;
  /** Most bytes held (values, keys, tags and a per-entry overhead). Default {@link defaultLocalMaxBytes}. */
  maxBytes?: number;
  /** Hard maximum age of an entry in process, in milliseconds, whatever the mode. Default {@link defaultLocalMaxAgeMs}. */
  maxAgeMs?: number;
  /**
   * Fast mode: how long a gap in a shard's invalidation sequence (a broadcast lost or not yet arrived, noticed on a
   * reply or an idle poll) may stay open before the whole tier is flushed, in milliseconds. Entries depending on a
   * shard with an open gap are not served meanwhile. Default {@link defaultLocalGapMs}.
   */
  gapMs?: number;
  /** Fast mode: an idle instance reads the shards' sequence this often, in milliseconds. Default {@link defaultLocalPollMs}. */
  pollMs?: number;
  /**
   * Fast mode: the subscriber connection is pinged this often, in milliseconds; no answer within the same time
   * flushes and bypasses the tier until it answers again. Default {@link defaultLocalPingMs}.
   */
  pingMs?: number;
}

export type ResolvedLocalTierOptions = Required<LocalTierOptions>;

export function resolveLocalTierOptions(local: unknown): ResolvedLocalTierOptions | undefined {
  if (local === undefined || local === false) return undefined;
  const o = (local === true ? {} : local) as LocalTierOptions;
  if (typeof o !== 'object' || o === null) throw invalidOption('createRedisStore', 'local', 'an object (or true)', local);
  const mode = o.mode ?? 'strict';
  if (mode !== 'strict' && mode !== 'fast') throw invalidOption('createRedisStore', 'local.mode', "'strict' or 'fast'", mode);
  return {
    mode,
    maxEntries: integer('maxEntries', o.maxEntries ?? defaultLocalMaxEntries, 1, 100_000_000),
    maxBytes: integer('maxBytes', o.maxBytes ?? defaultLocalMaxBytes, 1024, Number.MAX_SAFE_INTEGER),
    maxAgeMs: integer('maxAgeMs', o.maxAgeMs ?? defaultLocalMaxAgeMs, 1, 86_400_000),
    gapMs: integer('gapMs', o.gapMs ?? defaultLocalGapMs, 1, 60_000),
    pollMs: integer('pollMs', o.pollMs ?? defaultLocalPollMs, 1, 60_000),
    pingMs: integer('pingMs', o.pingMs ?? defaultLocalPingMs, 10, 600_000),
  };
}

function integer(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidOption('createRedisStore', `local.${option}`, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

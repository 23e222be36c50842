/**
 * Leases across instances (`createRedisStore({ leases: { waitMs } })`): on a
 * miss, one process takes a short lease on the key (SET NX PX beside the
 * entry, in the same shard) and resolves; the others poll the entry for its
 * fill and take over when the lease lapses (holder dead or slow) or when
 * `waitMs` runs out. A lease records the fetch sequence it was taken at: a
 * request that looked the key up at another sequence (an invalidation in
 * between) never waits on it, it takes the lease over.
 */
import { randomBytes } from 'node:crypto';
import { invalidOption } from '../../errors.js';
import type { StoreLookup, StoreSeq } from '../types.js';
import type { StoreConnection } from './connection.js';
import { shardLayouts, shardOf } from './layout.js';

export const defaultLeaseWaitMs = 200;

export interface LeaseOptions {
  /** How long a miss waits for another instance's fill before resolving itself, in milliseconds. Default {@link defaultLeaseWaitMs}. */
  waitMs?: number;
}

export function resolveLeaseOptions(leases: unknown): Required<LeaseOptions> | undefined {
  if (leases === undefined || leases === false) return undefined;
  const o = (leases === true ? {} : leases) as LeaseOptions;
  if (typeof o !== 'object' || o === null) throw invalidOption('createRedisStore', 'leases', 'an object (or true)', leases);
  const waitMs = o.waitMs ?? defaultLeaseWaitMs;
  if (typeof waitMs !== 'number' || !Number.isInteger(waitMs) || waitMs < 1 || waitMs > 60_000) {
    throw invalidOption('createRedisStore', 'leases.waitMs', 'an integer from 1 to 60000', waitMs);
  }
  return { waitMs };
}

/** How often a waiter looks for the holder's fill, in milliseconds. */
const POLL_MS = 5;

export function createLeases(
  connection: StoreConnection,
  prefix: string,
  shardCount: number,
  waitMs: number,
  get: (keys: readonly string[]) => Promise<StoreLookup>,
): (key: string, seq: StoreSeq) => Promise<Uint8Array | undefined> {
  const shards = shardLayouts(prefix, shardCount);
  const client = connection.client as import('ioredis').Redis;

  /** True when this process now holds the lease on `key` for `seq`. */
  async function take(leaseKey: string, seq: string): Promise<boolean> {
    const value = `${seq}|${randomBytes(6).toString('hex')}`;
    if ((await client.set(leaseKey, value, 'PX', waitMs, 'NX')) === 'OK') return true;
    const held = await client.get(leaseKey);
    // Taken at another sequence (an invalidation in between): never wait on it.
    if (held !== null && held.slice(0, held.lastIndexOf('|')) === seq) return false;
    return (await client.set(leaseKey, value, 'PX', waitMs)) === 'OK';
  }

  return async (key, seq) => {
    if (client.status !== 'ready') return undefined;
    const leaseKey = `${shards[shardOf(key, shardCount)]!.hashTag}:l:${key}`;
    const until = performance.now() + waitMs;
    try {
      if (await take(leaseKey, String(seq))) return undefined;
      while (performance.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        const value = (await get([key])).values[0];
        if (value instanceof Uint8Array) return value;
        // The holder's lease lapsed without a fill (died or slow): take over.
        if ((await client.exists(leaseKey)) === 0 && (await take(leaseKey, String(seq)))) return undefined;
      }
    } catch {
      // Leases are an optimisation: any failure means "resolve it yourself".
    }
    return undefined;
  };
}

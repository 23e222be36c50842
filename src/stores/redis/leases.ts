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

  /**
   * Takes the lease or waits on it: the holder's fill, `'held'` once this process holds it (at once, or after it
   * lapsed: holder dead or slow), `'gaveUp'` when `waitMs` ran out or Redis failed.
   */
  async function waitFor(key: string, leaseKey: string, seq: string): Promise<Uint8Array | 'held' | 'gaveUp'> {
    const until = performance.now() + waitMs;
    try {
      if (await take(leaseKey, seq)) return 'held';
      while (performance.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        const value = (await get([key])).values[0];
        if (value instanceof Uint8Array) return value;
        // The holder's lease lapsed without a fill (died or slow): take over.
        if ((await client.exists(leaseKey)) === 0 && (await take(leaseKey, seq))) return 'held';
      }
    } catch {
      // Leases are an optimisation: any failure means "resolve it yourself".
    }
    return 'gaveUp';
  }

  // Callers of one process asking for the same key at the same sequence share one attempt: the operation tier has no
  // in-process single flight in front of it, and a thousand requests taking or polling the lease each would swamp Redis.
  const waits = new Map<string, Promise<Uint8Array | 'held' | 'gaveUp'>>();

  return async function acquire(key: string, seq: StoreSeq): Promise<Uint8Array | undefined> {
    if (client.status !== 'ready') return undefined;
    const id = `${String(seq)}|${key}`;
    const joined = waits.get(id);
    if (joined !== undefined) {
      const outcome = await joined;
      if (outcome instanceof Uint8Array) return outcome;
      // The caller that started the attempt holds the lease and resolves: wait for its fill, as other processes do.
      // After a wait that gave up, resolve (waiting again would queue joiners waitMs behind each other).
      return outcome === 'held' ? acquire(key, seq) : undefined;
    }
    const leaseKey = `${shards[shardOf(key, shardCount)]!.hashTag}:l:${key}`;
    const attempt = waitFor(key, leaseKey, String(seq));
    waits.set(id, attempt);
    const outcome = await attempt;
    waits.delete(id);
    return outcome instanceof Uint8Array ? outcome : undefined;
  };
}

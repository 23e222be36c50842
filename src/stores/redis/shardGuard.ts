/**
 * Per-shard fault isolation on a Redis Cluster: each shard's calls run under
 * the shard's own circuit breaker and the deadline of the operation, so a
 * hung or dead primary costs only the shards it serves; a deadline missed on
 * one shard never counts against the others. Shards also wait for their
 * epoch check (epochCheck.ts) after a node (re)connects. Invalidations have
 * breakers of their own (lanes), as in the store. A single Redis (one
 * shard) needs none of this: the store's own breaker and deadlines cover it,
 * and the guard passes calls through.
 */
import { unavailable } from './storeErrors.js';
import { type Breaker, type BreakerState, createBreaker, worstState } from '../wrappers/breaker.js';
import { raceDeadline } from '../wrappers/deadline.js';

/**
 * What a call is, for its breaker: reads and fills share one breaker per shard; invalidations have their own, so
 * that fills overrunning their short deadline never make an invalidation (with its longer deadline) fail fast.
 */
export type BreakerLane = 'data' | 'invalidate';

export interface ShardGuard {
  /** True when shards fail one by one (a cluster); false when the store's own breaker and deadlines apply. */
  readonly isolating: boolean;
  /** The worst breaker state over the shards. */
  readonly state: BreakerState;
  /**
   * Runs one shard's call before `until` (performance.now() time), under the
   * shard's breaker; rejects at once with `STORE_UNAVAILABLE` when the shard's
   * breaker is open or its epoch is not checked yet.
   */
  run<T>(shard: number, until: number, what: string, call: () => Promise<T>, lane?: BreakerLane): Promise<T>;
  /** The shards' epochs must be checked again (a node connection became ready). */
  uncheckAll(): void;
  /** The shard's epoch was checked. */
  checked(shard: number): void;
  readonly allChecked: boolean;
}

/** @param recovered told when a shard answers again after failures. */
export function createShardGuard(shardCount: number, threshold: number, cooldownMs: number, recovered: () => void = () => {}): ShardGuard {
  const isolating = shardCount > 1;
  const lanes: Record<BreakerLane, Breaker[]> = {
    data: Array.from({ length: shardCount }, () => createBreaker(threshold, cooldownMs)),
    invalidate: Array.from({ length: shardCount }, () => createBreaker(threshold, cooldownMs)),
  };
  const unchecked = new Set<number>();

  return {
    isolating,
    get state() {
      return isolating ? worstState([...lanes.data, ...lanes.invalidate]) : 'closed';
    },
    async run(shard, until, what, call, lane = 'data') {
      if (!isolating) return call();
      const breakers = lanes[lane];
      if (unchecked.has(shard)) throw unavailable(`shard ${shard} is waiting for its epoch check after a reconnection`);
      const ticket = breakers[shard]!.allow();
      if (ticket === undefined) {
        const calls = lane === 'data' ? 'reads and fills' : 'invalidations';
        throw unavailable(`the circuit breaker of shard ${shard} (${calls}) is open after ${threshold} consecutive failures`);
      }
      try {
        const result = await raceDeadline(call(), Math.max(1, Math.round(until - performance.now())), `${what} on shard ${shard}`);
        if (breakers[shard]!.success(ticket)) recovered();
        return result;
      } catch (error) {
        breakers[shard]!.failure(ticket);
        throw error;
      }
    },
    uncheckAll() {
      if (isolating) for (let i = 0; i < shardCount; i++) unchecked.add(i);
    },
    checked(shard) {
      unchecked.delete(shard);
    },
    get allChecked() {
      return unchecked.size === 0;
    },
  };
}

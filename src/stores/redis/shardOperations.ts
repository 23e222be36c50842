/**
 * The store's steps on Redis, shard by shard: every call here is one script
 * per shard involved, all shards in parallel. No deadlines, breaker or
 * fallback here: the store wraps these (redisStore.ts). Each step lives in
 * its own file (shardLookup.ts, shardFill.ts, shardInvalidate.ts).
 */
import type { StoreEntry, StoreLookup, StoreSeq } from '../types.js';
import type { StoreConnection } from './connection.js';
import { raceDeadline } from '../wrappers/deadline.js';
import { shardOf } from './layout.js';
import { storeScripts } from './scripts.js';
import { createShardCalls, type PendingTags } from './shardCalls.js';
import { createShardFill } from './shardFill.js';
import type { ShardGuard } from './shardGuard.js';
import { createShardInvalidate } from './shardInvalidate.js';
import type { InvalidationPublisher } from './invalidationPublish.js';
import { createShardLookup, type LookupDetails } from './shardLookup.js';
import { createRaisedSince, type RaisedSince } from './shardRaised.js';

export interface ShardOperations {
  readonly shardCount: number;
  shardOfTag(tag: string): number;
  /** `until`: the deadline (performance.now() time) of every shard's call, on a cluster (see shardGuard.ts). */
  /** `details`, when given, receives the tags and TTL left of each value returned (by index), for the in-process tier (localTier.ts). */
  lookup(keys: readonly string[], pending: PendingTags, until: number, details?: LookupDetails): Promise<StoreLookup>;
  fill(entries: readonly StoreEntry[], pending: PendingTags, until: number): Promise<number>;
  /** The strict in-process tier's catch-up (shardRaised.ts). */
  raisedSince: RaisedSince;
  /** Runs checkEpoch on every shard (scripts.ts): a shard created by another run of a server starts a new epoch. */
  checkEpochs(until: number): Promise<void>;
  /** Invalidates; `acknowledged` collects the shards Redis acknowledged, even when another shard fails. */
  invalidate(tags: readonly string[], acknowledged: Set<number>, until: number): Promise<StoreSeq>;
}

export interface ShardOperationsOptions {
  readonly prefix: string;
  readonly shardCount: number;
  readonly maxValueBytes: number;
  readonly tagTtlMarginMs: number;
  /** What the invalidate script publishes (invalidationPublish.ts). */
  readonly publisher: InvalidationPublisher;
}

export function createShardOperations(connection: StoreConnection, options: ShardOperationsOptions, guard: ShardGuard): ShardOperations {
  const { shardCount } = options;
  const calls = createShardCalls(connection, options.prefix, shardCount, guard);
  const { shards, nextNonce, commonArgs, replyHead } = calls;

  /** Checks every shard's epoch; marks each checked shard in the guard; rejects when one failed (checked again later). */
  async function checkEpochs(until: number): Promise<void> {
    const nonce = nextNonce();
    let failure: { reason: unknown } | undefined;
    await Promise.all(
      shards.map(async (shard) => {
        try {
          const call = connection.run(storeScripts.checkEpoch, 1, shard.seqKey, ...commonArgs(shard, nonce));
          replyHead(await raceDeadline(call, Math.max(1, Math.round(until - performance.now())), `epoch check of shard ${shard.index}`), nonce, shard.index);
          guard.checked(shard.index);
        } catch (error) {
          failure ??= { reason: error };
        }
      }),
    );
    if (failure) throw failure.reason;
  }

  return {
    shardCount,
    shardOfTag: (tag) => shardOf(tag, shardCount),
    lookup: createShardLookup(calls, options.maxValueBytes),
    fill: createShardFill(calls, options),
    raisedSince: createRaisedSince(calls),
    invalidate: createShardInvalidate(calls, options.publisher),
    checkEpochs,
  };
}

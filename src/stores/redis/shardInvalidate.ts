/**
 * The store's invalidation step on Redis: one invalidate script per shard
 * holding the tags, all in parallel; while a slot migration splits a shard's
 * keys the counter is raised alone and the records deleted one by one.
 */
import type { StoreSeq } from '../types.js';
import type { ShardLayout } from './layout.js';
import { shardOf } from './layout.js';
import { storeScripts } from './scripts.js';
import { encodeSeqVector, type ShardSeq, UNKNOWN_SHARD } from './seqVector.js';
import { groupBy, type ShardCalls } from './shardCalls.js';
import type { InvalidationPublisher } from './invalidationPublish.js';

/** Invalidates; `acknowledged` collects the shards Redis acknowledged, even when another shard fails. */
export type ShardInvalidate = (tags: readonly string[], acknowledged: Set<number>, until: number) => Promise<StoreSeq>;

export function createShardInvalidate(calls: ShardCalls, publisher: InvalidationPublisher): ShardInvalidate {
  const { connection, guard, shards, shardCount, lastSeen, nextNonce, commonArgs, replyHead, readSeq, eachShard } = calls;
  let resets = 0;

  async function invalidate(tags: readonly string[], acknowledged: Set<number>, until: number): Promise<StoreSeq> {
    const nonce = nextNonce();
    const byShard = groupBy(tags, (tag) => shardOf(tag, shardCount));
    // Only the shards holding the tags are touched (a hung primary elsewhere costs nothing); the others are
    // answered with what this process last saw of them (the vector equals no earlier one: a touched shard moved).
    const seqs: ShardSeq[] = lastSeen.map((seen) => seen ?? UNKNOWN_SHARD);
    // No tags: a read of the current sequence (every shard that answers).
    if (tags.length === 0) {
      await eachShard(
        shards,
        async (shard) => void (seqs[shard.index] = await readSeq(shard, nonce, until)),
        (shard) => (seqs[shard.index] = UNKNOWN_SHARD),
      );
      return encodeSeqVector(seqs);
    }
    let reset = false;
    let failure: { reason: unknown } | undefined;
    await Promise.all(
      [...byShard].map(async ([index, list]) => {
        const shard = shards[index]!;
        try {
          let reply: unknown;
          try {
            reply = await guard.run(
              index,
              until,
              'invalidate',
              () =>
                connection.run(
                  storeScripts.invalidate,
                  2 + list.length,
                  shard.seqKey,
                  shard.logKey,
                  ...list.map((t) => shard.tagKeyPrefix + t),
                  ...commonArgs(shard, nonce),
                  ...publisher.scriptArgs(index, list),
                ),
              'invalidate',
            );
          } catch (error) {
            if (!isMigrating(error)) throw error;
            reply = await guard.run(index, until, 'invalidate', () => invalidateApart(shard, list, nonce), 'invalidate');
          }
          const head = replyHead(reply, nonce, shard.index);
          seqs[shard.index] = head.seq;
          if (isReset(head.rest[0])) reset = true;
          acknowledged.add(shard.index);
        } catch (error) {
          // Every shard settles before the call does, so `acknowledged` is complete.
          failure ??= { reason: error };
        }
      }),
    );
    if (failure) throw failure.reason;
    // A shard reset under OOM has no new counter yet: answer a sequence equal to no other.
    return reset ? `reset:${++resets}` : encodeSeqVector(seqs);
  }

  /**
   * The invalidation while the shard's slot migrates and its keys sit on two
   * nodes (the script, which needs them together, is refused): the counter
   * is raised first (a script on the counter alone), then each tag's record
   * is deleted by a plain DEL, which ioredis follows to whichever node holds
   * it (ASK). A missing record reads as stale, and a fill recreates it at the
   * raised counter, above every fetch that began before; until both steps are
   * done the invalidation is not acknowledged.
   */
  async function invalidateApart(shard: ShardLayout, tags: readonly string[], nonce: string): Promise<unknown> {
    // The counter's key alone, as a migrating slot allows: the raise leaves a hole in the log, so fills fetched before it
    // fall back to the counter.
    const reply = await connection.run(storeScripts.invalidate, 1, shard.seqKey, ...commonArgs(shard, nonce));
    await Promise.all(tags.map((t) => connection.client.del(shard.tagKeyPrefix + t)));
    // Announced once the records are gone, not by the script: a receiver that read again in between would keep the old value.
    const { seq } = replyHead(reply, nonce, shard.index);
    await connection.client.publish(publisher.channel, publisher.message(shard.index, seq.epoch, seq.n, tags)).catch(() => 0);
    return reply;
  }

  return invalidate;
}

/** True for the refusals of a multi-key script whose keys a slot migration has split over two nodes. */
function isMigrating(error: unknown): boolean {
  return error instanceof Error && /^(TRYAGAIN|ASK|MOVED)|Too many Cluster redirections/.test(error.message);
}

function isReset(item: unknown): boolean {
  return Buffer.isBuffer(item) && item.toString('latin1') === 'reset';
}

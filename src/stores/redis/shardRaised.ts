/**
 * The strict in-process tier's catch-up on Redis (localTier.ts): for every
 * shard, its position and the tags invalidated there since a given position,
 * from the shard's log of recent raises (raisedSinceScript), one small script
 * per shard, all in parallel. Sent in the same round as the lookup of the keys
 * the tier does not hold, so a held value costs no value bytes and no tag
 * record reads, and an invalidation of other tags no longer costs a re-read.
 */
import { storeScripts } from './scripts.js';
import { type ShardSeq, UNKNOWN_SHARD } from './seqVector.js';
import type { ShardCalls } from './shardCalls.js';

/** One shard's catch-up: its position, and the tags raised since the given one (undefined: cannot tell). */
export interface ShardRaised {
  readonly seq: ShardSeq;
  readonly tags: readonly string[] | undefined;
}

export type RaisedSince = (since: readonly (ShardSeq | undefined)[], until: number) => Promise<ShardRaised[]>;

export function createRaisedSince(calls: ShardCalls): RaisedSince {
  const { connection, guard, shards, nextNonce, commonArgs, replyHead, readSeq, eachShard } = calls;

  return async (since, until) => {
    const nonce = nextNonce();
    const out: ShardRaised[] = new Array(shards.length);
    // A shard that fails (cluster) is unknown: nothing depending on it can be vouched for.
    await eachShard(
      shards,
      async (shard) => {
        const from = since[shard.index];
        if (from === undefined || from.epoch === '') {
          out[shard.index] = { seq: await readSeq(shard, nonce, until), tags: undefined };
          return;
        }
        const reply = await guard.run(shard.index, until, 'raisedSince', () =>
          connection.run(storeScripts.raisedSince, 2, shard.seqKey, shard.logKey, ...commonArgs(shard, nonce), from.epoch, String(from.n)),
        );
        const { seq, rest } = replyHead(reply, nonce, shard.index);
        const told = rest[0] === 1 && rest.slice(1).every((t) => Buffer.isBuffer(t));
        out[shard.index] = { seq, tags: told ? rest.slice(1).map((t) => (t as Buffer).toString('utf8')) : undefined };
      },
      (shard) => (out[shard.index] = { seq: UNKNOWN_SHARD, tags: undefined }),
    );
    return out;
  };
}

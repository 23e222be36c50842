/**
 * The Lua scripts of the Redis store, one per logical step, each confined to
 * one shard: KEYS[1] is always the shard's sequence key and every other key a
 * script touches carries the same hash tag, so each script runs in one slot.
 * Every key a script writes is declared. `lookup` also reads tag records it
 * only discovers in the entries' metadata; it derives their keys from KEYS[1]
 * (same hash tag, same ioredis `keyPrefix`, hence the same slot), and a
 * record it cannot see, for instance one already migrated to another node,
 * reads as stale.
 *
 * Cost. Scripts run on the CPU the application shares, and both the
 * commands they execute and the Lua work around them count, so each script
 * reads in bulk, writes only what changed and leaves parsing to C: one
 * `GETRANGE` per entry read, its metadata decoded by `cmsgpack`, one `MGET`
 * for all the tag records a call needs (deduplicated across its entries), a
 * write per tag record only when it is missing, foreign or about to expire
 * before the entry it guards, versions compared as numbers read at fixed
 * offsets. Commands per call are pinned in
 * test/integration/redis/commandCount.test.ts.
 *
 * The scripts live by step: scriptPrelude.ts (shared Lua helpers),
 * readScripts.ts, fillScripts.ts, invalidateScript.ts.
 *
 * Every script answers `{nonce, epoch, counter, ...}`: the nonce is ARGV[1]
 * echoed, so a reply that does not belong to the call (a connection that lost
 * bytes) is detected instead of served.
 *
 * Conventions: ARGV[1] nonce, ARGV[2] candidate epoch (used when the shard's
 * counter is missing, malformed, or behind ARGV[3]/ARGV[4], the epoch and
 * counter this client last saw), then script-specific arguments.
 */
import { createHash } from 'node:crypto';
import { fillFencedScript, fillScript, touchTagsScript } from './fillScripts.js';
import { invalidateScript } from './invalidateScript.js';
import { checkEpochScript, lookupScript, raisedSinceScript, readSeqScript, readTagsScript } from './readScripts.js';

/** A script and its SHA1, under which Redis caches it (SCRIPT LOAD, EVALSHA). */
export interface StoreScript {
  readonly name: string;
  readonly lua: string;
  readonly sha: string;
}

function script(name: string, lua: string): StoreScript {
  return { name, lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/** Every script of the store, loaded on each connection as it becomes ready. */
export const storeScripts = {
  lookup: script('lookup', lookupScript),
  fill: script('fill', fillScript),
  touchTags: script('touchTags', touchTagsScript),
  fillFenced: script('fillFenced', fillFencedScript),
  invalidate: script('invalidate', invalidateScript),
  readSeq: script('readSeq', readSeqScript),
  checkEpoch: script('checkEpoch', checkEpochScript),
  readTags: script('readTags', readTagsScript),
  raisedSince: script('raisedSince', raisedSinceScript),
} as const;

/**
 * The Redis store's `StoreSeq`: one `<epoch>:<counter>` per shard, joined by
 * commas (`"9f2c61a0d4e87b13:42"` with one shard). Two vectors are equal as
 * strings exactly when no shard's counter moved and no shard changed epoch.
 */
import type { StoreSeq } from '../types.js';

/** One shard's position: the epoch of its counter and the counter's value. */
export interface ShardSeq {
  /** 16 lowercase hex digits; a new one whenever the shard's counter was lost. */
  readonly epoch: string;
  readonly n: number;
}

const EPOCH = /^[0-9a-f]{16}$/;
const COUNTER = /^\d{1,15}$/;

export function isEpoch(value: string): boolean {
  return EPOCH.test(value);
}

/** A shard whose position a lookup could not read (its primary hung or down): a fill never trusts it. */
export const UNKNOWN_SHARD: ShardSeq = { epoch: '', n: -1 };

let unknowns = 0;

/** Encodes a vector; a vector with an unknown shard equals no other (`?<n>`, unique), so `===` still means "nothing moved". */
export function encodeSeqVector(shards: readonly ShardSeq[]): string {
  return shards.map((s) => (s.epoch === '' ? `?${++unknowns}` : `${s.epoch}:${s.n}`)).join(',');
}

/** Parses a fetch sequence; undefined when it is not a vector of `shardCount` shards (a foreign or failed seq). */
export function parseSeqVector(seq: StoreSeq, shardCount: number): ShardSeq[] | undefined {
  if (typeof seq !== 'string') return undefined;
  const parts = seq.split(',');
  if (parts.length !== shardCount) return undefined;
  const out: ShardSeq[] = [];
  for (const part of parts) {
    if (part.startsWith('?')) {
      out.push(UNKNOWN_SHARD);
      continue;
    }
    const epoch = part.slice(0, 16);
    const counter = part.slice(17);
    if (part[16] !== ':' || !EPOCH.test(epoch) || !COUNTER.test(counter)) return undefined;
    out.push({ epoch, n: Number(counter) });
  }
  return out;
}

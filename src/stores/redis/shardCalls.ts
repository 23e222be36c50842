/**
 * How the store talks to one shard: every script call carries a nonce and what
 * this process last saw of the shard, and every reply's head is checked and
 * recorded here, so the lookup, fill and invalidation steps share one protocol.
 */
import { randomBytes } from 'node:crypto';
import { CacheTagError } from '../../errors.js';
import type { ScriptArg, StoreConnection } from './connection.js';
import { type ShardLayout, shardLayouts } from './layout.js';
import { storeScripts } from './scripts.js';
import { isEpoch, type ShardSeq } from './seqVector.js';
import type { ShardGuard } from './shardGuard.js';

/** Tags whose invalidation Redis has not acknowledged, honoured locally. */
export interface PendingTags {
  readonly size: number;
  has(tag: string): boolean;
}

/** What the shard steps (shardLookup.ts, shardFill.ts, shardInvalidate.ts) share. */
export interface ShardCalls {
  readonly connection: StoreConnection;
  readonly guard: ShardGuard;
  readonly shards: readonly ShardLayout[];
  readonly shardCount: number;
  /** The latest position this process saw per shard (undefined: none yet). */
  readonly lastSeen: readonly (ShardSeq | undefined)[];
  nextNonce(): string;
  /** ARGV[1..4] of every script: nonce, a candidate epoch, and what this process last saw of the shard. */
  commonArgs(shard: ShardLayout, nonce: string): ScriptArg[];
  /** Checks a script reply's `{nonce, epoch, counter}` head and records the shard's position. */
  replyHead(reply: unknown, nonce: string, shard: number): { seq: ShardSeq; rest: unknown[] };
  readSeq(shard: ShardLayout, nonce: string, until: number): Promise<ShardSeq>;
  /**
   * Runs one call per shard in parallel and waits for all. On a cluster a
   * shard that fails is reported through `failed` (the others go on); the
   * whole call fails only when every shard did. Otherwise the first failure
   * fails it.
   */
  eachShard<T>(items: readonly T[], call: (item: T) => Promise<void>, failed?: (item: T) => void): Promise<void>;
}

const mismatches = new WeakSet<object>();

/** True for the error of a reply that belongs to another call: the connection lost bytes and must be reset. */
export function isReplyMismatch(error: unknown): boolean {
  return typeof error === 'object' && error !== null && mismatches.has(error);
}

/** Candidate epochs drawn from the pool at a time: one randomBytes call per this many script calls. */
const CANDIDATES_PER_DRAW = 256;

/**
 * A fresh candidate epoch (64 random bits as hex) for every script call, as unpredictable as randomBytes(8) each,
 * drawn from a pool: every script call carries one, and a randomBytes call per script call was 1.5-2 % of a Redis
 * contender's CPU on the mixed benchmark.
 */
function createCandidatePool(): () => string {
  let pool = '';
  let next = 0;
  return () => {
    if (next >= pool.length) {
      pool = randomBytes(8 * CANDIDATES_PER_DRAW).toString('hex');
      next = 0;
    }
    const candidate = pool.slice(next, next + 16);
    next += 16;
    return candidate;
  };
}

export function createShardCalls(connection: StoreConnection, prefix: string, shardCount: number, guard: ShardGuard): ShardCalls {
  const shards = shardLayouts(prefix, shardCount);
  // The latest position this process saw per shard, so a script can tell that
  // the counter went backwards in the same epoch (and start a new epoch).
  const lastSeen: (ShardSeq | undefined)[] = new Array(shardCount).fill(undefined);
  let nonceCounter = 0;
  const nextCandidate = createCandidatePool();

  function nextNonce(): string {
    nonceCounter = (nonceCounter + 1) % Number.MAX_SAFE_INTEGER;
    return String(nonceCounter);
  }

  function commonArgs(shard: ShardLayout, nonce: string): ScriptArg[] {
    const seen = lastSeen[shard.index];
    return [nonce, nextCandidate(), seen?.epoch ?? '', seen === undefined ? '' : String(seen.n)];
  }

  function replyHead(reply: unknown, nonce: string, shard: number): { seq: ShardSeq; rest: unknown[] } {
    if (!Array.isArray(reply) || reply.length < 3) throw protocolError('a malformed reply');
    const [echo, epochBytes, n] = reply as [unknown, unknown, unknown];
    if (!Buffer.isBuffer(echo) || echo.toString('latin1') !== nonce) {
      const error = protocolError('a reply that belongs to another call');
      mismatches.add(error);
      throw error;
    }
    const epoch = Buffer.isBuffer(epochBytes) ? epochBytes.toString('latin1') : '';
    if (!isEpoch(epoch) || typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw protocolError('a malformed sequence');
    const seen = lastSeen[shard];
    if (seen === undefined || seen.epoch !== epoch || seen.n < n) lastSeen[shard] = { epoch, n };
    return { seq: { epoch, n }, rest: reply.slice(3) };
  }

  async function readSeq(shard: ShardLayout, nonce: string, until: number): Promise<ShardSeq> {
    const reply = await guard.run(shard.index, until, 'readSeq', () => connection.run(storeScripts.readSeq, 1, shard.seqKey, ...commonArgs(shard, nonce)));
    return replyHead(reply, nonce, shard.index).seq;
  }

  async function eachShard<T>(items: readonly T[], call: (item: T) => Promise<void>, failed: (item: T) => void = () => {}): Promise<void> {
    const outcomes = await Promise.allSettled(items.map(call));
    const failures = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [{ item: items[i]!, reason: o.reason as unknown }] : []));
    if (failures.length === 0) return;
    if (!guard.isolating || failures.length === items.length) throw failures[0]!.reason;
    for (const f of failures) failed(f.item);
  }

  return { connection, guard, shards, shardCount, lastSeen, nextNonce, commonArgs, replyHead, readSeq, eachShard };
}

/**
 * Tags as Redis stores them: UTF-8 turns lone surrogates into U+FFFD. Every
 * path (shard choice, pending set, keys) uses this form so they agree.
 */
export function normalizeTag(tag: string): string {
  return /[\uD800-\uDFFF]/.test(tag) ? Buffer.from(tag, 'utf8').toString('utf8') : tag;
}

export function groupBy<T>(items: Iterable<T>, shardOfItem: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const shard = shardOfItem(item);
    const list = groups.get(shard);
    if (list) list.push(item);
    else groups.set(shard, [item]);
  }
  return groups;
}

export function protocolError(what: string): CacheTagError {
  return new CacheTagError('STORE_UNAVAILABLE', `Redis store: Redis sent ${what}.`);
}

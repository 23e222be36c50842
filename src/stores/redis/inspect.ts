/**
 * Read-only inspection of what a Redis store wrote, for operators (the CLI's
 * `stats`, `inspect`, `tags`, `watch`, `invalidate --dry-run`): shard
 * sequences, tag records, and entries with their tags, TTL, size and
 * freshness. It follows layout.ts and entryFrame.ts, writes nothing, and
 * scans keys: for humans, never for a request path.
 */
import { Cluster, type Redis } from 'ioredis';
import { ancestorsAndSelf } from '../../tags/hierarchy.js';
import { coordinateOfKey, type EntryInfo } from '../entryInfo.js';
import { parseEntryFrame } from './entryFrame.js';
import { shardLayouts, shardOf, type ShardLayout } from './layout.js';
import { defaultClusterShards, defaultPrefix, defaultStandaloneShards } from './options.js';
import { isEpoch } from './seqVector.js';

/** A shard's invalidation sequence; `epoch` and `counter` are absent while nothing was written to the shard. */
export interface ShardState {
  readonly shard: number;
  readonly epoch?: string;
  readonly counter?: number;
}

/**
 * A tag record, as every process reads it:
 * - `recorded`: entries carrying the tag are fresh while their fill saw at least `version`;
 * - `missing`: no record (never filled, expired or evicted): entries carrying the tag read as stale;
 * - `foreign-epoch`: written before the shard's sequence was lost: read as missing.
 */
export interface TagState {
  readonly tag: string;
  readonly shard: number;
  readonly state: 'recorded' | 'missing' | 'foreign-epoch';
  /** The sequence at which the tag was last invalidated (or first recorded). */
  readonly version?: number;
  /** Milliseconds the record still lives; -1 without expiry. */
  readonly ttlMs?: number;
  readonly sequence: ShardState;
}

export type { EntryInfo } from '../entryInfo.js';

export interface RedisInspector {
  readonly prefix: string;
  readonly shardCount: number;
  sequences(): Promise<ShardState[]>;
  /** The records of `tag` and of its ancestors, the root first. */
  tagStates(tag: string): Promise<TagState[]>;
  /** The entry stored under a cache key, or undefined. */
  entry(key: string): Promise<EntryInfo | undefined>;
  /** Every entry whose cache key matches the glob `match` (default `*`); `onScanned` is told how many keys were read. */
  entries(match?: string, onScanned?: (keys: number) => void): Promise<EntryInfo[]>;
}

export interface RedisInspectorOptions {
  readonly client: Redis | Cluster;
  /** As given to createRedisStore. Default `cachetag`. */
  readonly prefix?: string;
  /** As given to createRedisStore. Default 1 (`Redis`), 16 (`Cluster`). */
  readonly shards?: number;
}

/** Creates an inspector over a connected client; it never closes the client. */
export function createRedisInspector(options: RedisInspectorOptions): RedisInspector {
  const { client } = options;
  const prefix = options.prefix ?? defaultPrefix;
  const shardCount = options.shards ?? (client instanceof Cluster ? defaultClusterShards : defaultStandaloneShards);
  const layouts = shardLayouts(prefix, shardCount);

  async function sequence(layout: ShardLayout): Promise<ShardState> {
    const fields = await client.hgetall(layout.seqKey);
    const counter = fields.n !== undefined && /^\d+$/.test(fields.n) ? Number(fields.n) : undefined;
    return { shard: layout.index, ...(fields.e && isEpoch(fields.e) ? { epoch: fields.e } : {}), ...(counter !== undefined ? { counter } : {}) };
  }

  async function records(layout: ShardLayout, tags: readonly string[]): Promise<({ epoch: string; version: number } | undefined)[]> {
    if (tags.length === 0) return [];
    const raw = await client.mgetBuffer(...tags.map((tag) => layout.tagKeyPrefix + tag));
    return raw.map((r) => {
      if (!r || r.length < 31) return undefined;
      const epoch = r.toString('latin1', 0, 16);
      const version = r.toString('latin1', 16, 31);
      return isEpoch(epoch) && /^\d{15}$/.test(version) ? { epoch, version: Number(version) } : undefined;
    });
  }

  async function describe(layout: ShardLayout, key: string, frame: Buffer, ttlMs: number): Promise<EntryInfo | undefined> {
    const parsed = parseEntryFrame(frame);
    if (!parsed) return undefined;
    const tags: string[] = [];
    let staleBecause: string | undefined;
    for (const group of parsed.meta.groups) {
      tags.push(...group.tags);
      const groupLayout = layouts[group.shard];
      if (!groupLayout || parsed.meta.shardCount !== shardCount) {
        staleBecause ??= `written for ${parsed.meta.shardCount} shards, not ${shardCount}`;
        continue;
      }
      const seq = await sequence(groupLayout);
      if (seq.epoch !== group.epoch || (seq.counter ?? -1) < group.fetch) {
        staleBecause ??= `shard ${group.shard}'s sequence was lost since the fill`;
        continue;
      }
      const found = await records(groupLayout, group.tags);
      group.tags.forEach((tag, i) => {
        const record = found[i];
        if (!record || record.epoch !== group.epoch) staleBecause ??= `the record of ${tag} is missing`;
        else if (record.version > group.fetch) staleBecause ??= `${tag} was invalidated after the fill`;
      });
    }
    const { filledAtMs } = parsed.meta;
    return {
      key,
      coordinate: coordinateOfKey(key),
      redisKey: layout.entryKeyPrefix + key,
      tags,
      ...(filledAtMs !== undefined ? { ageMs: Math.max(0, Date.now() - filledAtMs) } : {}),
      ttlMs,
      bytes: frame.length,
      fresh: staleBecause === undefined,
      ...(staleBecause ? { staleBecause } : {}),
    };
  }

  async function read(layout: ShardLayout, key: string): Promise<EntryInfo | undefined> {
    const redisKey = layout.entryKeyPrefix + key;
    const [frame, ttlMs] = await Promise.all([client.getBuffer(redisKey), client.pttl(redisKey)]);
    return frame ? describe(layout, key, frame, ttlMs) : undefined;
  }

  return {
    prefix,
    shardCount,
    sequences: () => Promise.all(layouts.map(sequence)),
    async tagStates(tag) {
      return Promise.all(
        ancestorsAndSelf(tag).map(async (t): Promise<TagState> => {
          const layout = layouts[shardOf(t, shardCount)]!;
          const [seq, [record], ttlMs] = await Promise.all([sequence(layout), records(layout, [t]), client.pttl(layout.tagKeyPrefix + t)]);
          const base = { tag: t, shard: layout.index, sequence: seq };
          if (!record) return { ...base, state: 'missing' };
          return { ...base, state: record.epoch === seq.epoch ? 'recorded' : 'foreign-epoch', version: record.version, ttlMs };
        }),
      );
    },
    entry: (key) => read(layouts[shardOf(key, shardCount)]!, key),
    async entries(match = '*', onScanned) {
      const nodes = client instanceof Cluster ? client.nodes('master') : [client];
      const found: EntryInfo[] = [];
      let scanned = 0;
      for (const layout of layouts) {
        const pattern = escapeGlob(layout.entryKeyPrefix) + match;
        for (const node of nodes) {
          let cursor = '0';
          do {
            const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
            cursor = next;
            for (const redisKey of keys) {
              const info = await read(layout, redisKey.slice(layout.entryKeyPrefix.length));
              if (info) found.push(info);
            }
            scanned += keys.length;
            onScanned?.(scanned);
          } while (cursor !== '0');
        }
      }
      return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
  };
}

/** Escapes Redis glob characters, so a prefix matches itself only. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/**
 * The "slow resolver" of lateFill.test.ts, in its own process with its own
 * store: looks up a key, reports its fetch sequence, waits for "go", then
 * tries to fill through the store and finally writes the same entry straight
 * into Redis (as a writer that skipped the check would).
 * argv: port prefix shards key tag
 */
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { createRedisStore } from '../../../src/stores/redis/index.js';
import { encodeEntryFrame } from '../../../src/stores/redis/entryFrame.js';
import { shardOf } from '../../../src/stores/redis/layout.js';
import { parseSeqVector } from '../../../src/stores/redis/seqVector.js';
import { expandTags } from '../../../src/tags/hierarchy.js';
import { entryKey } from './support.js';

const [port, prefix, shardsText, key, tag] = process.argv.slice(2) as [string, string, string, string, string];
const shards = Number(shardsText);
const store = createRedisStore({
  client: new Redis({ host: '127.0.0.1', port: Number(port), lazyConnect: true }),
  prefix,
  shards,
  readTimeoutMs: 2000,
  writeTimeoutMs: 2000,
});
if (!(await store.whenConnected())) throw new Error('child store did not connect');

const say = (message: object): void => void process.stdout.write(`${JSON.stringify(message)}\n`);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const waitFor = async (word: string): Promise<void> => {
  for (;;) if ((await lines.next()).value === word) return;
};

const lookup = await store.get([key]);
say({ event: 'fetched', seq: lookup.seq, values: lookup.values });
await waitFor('go');

const tags = expandTags([tag]);
const written = await store.set([{ key, value: Buffer.from('late value'), tags, ttlMs: 60_000, fetchSeq: lookup.seq }]);
say({ event: 'set', written });
await waitFor('raw');

// The same late entry, written without the store's check.
const fetch = parseSeqVector(lookup.seq, shards)!;
const byShard = new Map<number, string[]>([[shardOf(key, shards), []]]);
for (const t of tags) byShard.set(shardOf(t, shards), [...(byShard.get(shardOf(t, shards)) ?? []), t]);
const groups = [...byShard].sort(([a], [b]) => a - b).map(([shard, list]) => ({ shard, epoch: fetch[shard]!.epoch, fetch: fetch[shard]!.n, tags: list }));
const raw = new Redis({ host: '127.0.0.1', port: Number(port) });
await raw.set(entryKey(prefix, key, shards), encodeEntryFrame(shards, groups, Buffer.from('late raw value'))!, 'PX', 60_000);
raw.disconnect();
say({ event: 'raw' });
await store.close();
process.exit(0);

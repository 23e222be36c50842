/**
 * Hostile bytes under every key a store uses: a small schema served by Apollo Server (both tiers) fills the store,
 * then every stored value is overwritten with garbage (random bytes of random length, a truncated copy of itself, its
 * header with a random tail, empty; on Redis also another Redis type, and the same for tag records and sequence
 * hashes), and every query runs again. Each answer must be the resolver's (a miss), arrive within a deadline (no
 * hang), and carry no error (no crash).
 */
import { ApolloServer } from '@apollo/server';
import type { Redis } from 'ioredis';
import { cacheDirectivesTypeDefs, createCache, type Store, type StoreEntry } from '../../../src/index.js';
import { createApolloPlugin } from '../../../src/apollo/index.js';
import { mulberry32 } from '../history/history.js';

const typeDefs = `
  type Query {
    item(id: ID!): Item
    items(listId: ID!): [Item!]! @cacheControl(maxAge: 300)
    big(id: ID!): String @cacheControl(maxAge: 300)
  }
  type Item @cacheControl(maxAge: 300) { id: ID! name: String! tags: [String!]! }
`;
const itemOf = (id: string) => ({ id, name: `name of ${id}`, tags: [id, 'é', '\u0000', 'x'.repeat(Number(id.replace(/\D/g, '')) * 100)] });
const resolvers = {
  Query: {
    item: (_: unknown, { id }: { id: string }) => itemOf(id),
    items: (_: unknown, { listId }: { listId: string }) => [1, 2, 3].map((n) => itemOf(`${listId}-${n}`)),
    // Large enough to be compressed by the codec on Redis (lz4 above 1 KiB).
    big: (_: unknown, { id }: { id: string }) => `${id}:`.repeat(2000),
  },
};
const QUERIES = [
  ...[1, 2, 3].map((n) => ({ query: 'query($id: ID!) { item(id: $id) { id name tags } }', variables: { id: `i${n}` } })),
  ...['a', 'b'].map((listId) => ({ query: 'query($l: ID!) { items(listId: $l) { id name } }', variables: { l: listId } })),
  { query: '{ big(id: "z") item(id: "i9") { name } }', variables: {} },
];

export const hostileRounds = (long: boolean): number => (long ? 200 : 8);

export interface HostileResult {
  rounds: number;
  /** Keys overwritten with garbage, over all rounds. */
  corrupted: number;
  requests: number;
  /** Answers that differ from the resolver's. */
  wrong: number;
  failed: number;
  hung: number;
  /** Failures the cache absorbed (undecodable bytes, store errors), from `stats().errors`: proof the garbage was read. */
  absorbed: Record<string, number>;
  examples: string[];
}

/** `raw`: how to read and overwrite the store's keys directly (Redis), or undefined to overwrite values through `set` (memory). */
export async function fuzzStoredBytes(options: {
  store: Store;
  rounds: number;
  redis?: { admin: Redis; prefix: string };
  seed?: number;
}): Promise<HostileResult> {
  const random = mulberry32(options.seed ?? 11);
  const int = (n: number) => Math.floor(random() * n);
  const written: StoreEntry[] = [];
  const recording: Store = {
    get: (keys) => options.store.get(keys),
    set: (entries) => {
      written.push(...entries);
      return options.store.set(entries);
    },
    invalidate: (tags) => options.store.invalidate(tags),
    close: () => options.store.close(),
  };
  const cache = createCache({ store: recording, logger: { warn: () => {} } });
  const plugin = createApolloPlugin(cache);
  const apollo = new ApolloServer({ typeDefs: [cacheDirectivesTypeDefs, typeDefs], resolvers, plugins: [plugin] });
  await apollo.start();
  const expected = new Map<string, string>();
  const result: HostileResult = { rounds: 0, corrupted: 0, requests: 0, wrong: 0, failed: 0, hung: 0, absorbed: {}, examples: [] };

  const garbage = (original: Uint8Array | undefined): Buffer => {
    const roll = int(5);
    if (roll === 0 || !original || original.length < 2) return Buffer.from(Array.from({ length: int(64) }, () => int(256)));
    if (roll === 1) return Buffer.from(original.subarray(0, int(original.length)));
    if (roll === 2)
      return Buffer.concat([Buffer.from(original.subarray(0, Math.min(8, original.length))), Buffer.from(Array.from({ length: int(200) }, () => int(256)))]);
    if (roll === 3) return Buffer.alloc(0);
    // A size field claiming gigabytes, then little.
    return Buffer.concat([Buffer.from(original.subarray(0, 2)), Buffer.from([0xff, 0xff, 0xff, 0x7f]), Buffer.from('x')]);
  };

  const runAll = async (): Promise<void> => {
    for (const { query, variables } of QUERIES) {
      result.requests++;
      const deadline = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 5000).unref());
      const answer = await Promise.race([
        plugin.storedResponse({ query, variables }, {}).then(async (stored) => {
          if (stored) return JSON.parse(stored.body) as { data?: unknown; errors?: unknown };
          const response = await apollo.executeOperation({ query, variables });
          return (response.body as { singleResult: { data?: unknown; errors?: unknown } }).singleResult;
        }),
        deadline,
      ]);
      if (answer === 'hung') {
        result.hung++;
        continue;
      }
      const text = JSON.stringify(answer.data);
      const key = `${query} ${JSON.stringify(variables)}`;
      if (answer.errors) {
        result.failed++;
        if (result.examples.length < 5) result.examples.push(`errors: ${JSON.stringify(answer.errors).slice(0, 300)}`);
      } else if (!expected.has(key)) expected.set(key, text);
      else if (expected.get(key) !== text) {
        result.wrong++;
        if (result.examples.length < 5) result.examples.push(`wrong answer to ${key}: ${text.slice(0, 200)}`);
      }
    }
    await cache.idle();
  };

  try {
    await runAll();
    for (let round = 0; round < options.rounds; round++) {
      result.rounds++;
      if (options.redis) {
        const { admin, prefix } = options.redis;
        let cursor = '0';
        const keys: string[] = [];
        do {
          const [next, found] = await admin.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
          keys.push(...found);
          cursor = next;
        } while (cursor !== '0');
        for (const key of keys) {
          if (random() < 0.3) continue; // leave some intact, so corrupt and sound state mix
          const type = await admin.type(key);
          const original = type === 'string' ? await admin.getBuffer(key) : undefined;
          result.corrupted++;
          await admin.del(key);
          if (random() < 0.15) await admin.hset(key, 'x', garbage(undefined));
          else if (random() < 0.1) await admin.rpush(key, garbage(undefined));
          else await admin.set(key, garbage(original ?? undefined));
        }
      } else {
        const entries = written.splice(0);
        const { seq } = await options.store.get([]);
        await options.store.set(entries.map((entry) => ({ ...entry, fetchSeq: seq, value: garbage(entry.value) })));
        result.corrupted += entries.length;
      }
      await runAll();
    }
  } finally {
    await apollo.stop();
    await cache.idle();
    result.absorbed = cache.stats().errors;
  }
  return result;
}

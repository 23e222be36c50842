/**
 * The fill/invalidate race, explored deterministically: every store call (before it is sent and before its answer
 * is delivered), every database read and every database write waits for fast-check's scheduler, which releases them
 * in a different order on each run. Per run, on one fresh item: two concurrent readers (single-flight join or not),
 * optionally after a warm-up read that caches the old version, a writer (a mutation: database write, then the invalidation it awaits), a reader started at a scheduled point, a
 * reader started once the write was acknowledged, and a final reader once everything settled. A violation is a read
 * that began after the write was acknowledged and returned the older version, or a settled cache still serving it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { execute, parse } from 'graphql';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { createCache, createMemoryStore, type Store } from '../../../src/index.js';
import { createRedisStore } from '../../../src/stores/redis/index.js';
import { buildSchema } from '../../helpers/schema.js';
import { ensureSharedRedis, uniquePrefix } from '../../helpers/redis.js';

export interface InterleavingResult {
  /** Runs explored. */
  runs: number;
  /** Distinct orders in which the scheduler released the steps. */
  orderings: number;
  violations: number;
  /** Reads that joined another request's flight (the single-flight path was explored). */
  joinedFlights: number;
  examples: string[];
}

export const interleavingRuns = (long: boolean): { memory: number; redis: number } => (long ? { memory: 40_000, redis: 20_000 } : { memory: 400, redis: 150 });

const typeDefs = `
  type Query { item(id: ID!): Item }
  type Mutation { bump(id: ID!): Item }
  type Item @cacheControl(maxAge: 300) { id: ID! version: Int! }
`;
const READ = parse('query($id: ID!) { item(id: $id) { id version } }');
const WRITE = parse('mutation($id: ID!) { bump(id: $id) { id version } }');

export async function exploreInterleavings(options: {
  store: 'memory' | 'redis';
  runs: { memory: number; redis: number };
  seed?: number;
  /** Self-test: invalidations never reach the store. */ dropInvalidations?: boolean;
}): Promise<InterleavingResult> {
  let scheduler: fc.Scheduler | undefined;
  // Steps are labelled with the actor that caused them (a joined flight's fill is its leader's), so orderings that
  // differ only in whose lookup went first count as different.
  const actor = new AsyncLocalStorage<string>();
  const step = async (what: string): Promise<void> => {
    const label = `${actor.getStore() ?? '?'}:${what}`;
    if (scheduler) await scheduler.schedule(Promise.resolve(label), label);
  };
  const db = new Map<string, number>();
  let inner: Store;
  if (options.store === 'redis') {
    const problem = await ensureSharedRedis();
    if (problem) throw new Error(problem);
    inner = createRedisStore({
      client: new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true }),
      prefix: uniquePrefix('interleave'),
      readTimeoutMs: 5000,
      writeTimeoutMs: 5000,
    });
    await (inner as unknown as { whenConnected(): Promise<void> }).whenConnected();
  } else {
    inner = createMemoryStore();
  }
  // Each store call waits twice: before it reaches the store, and before its answer reaches the engine.
  const store: Store = {
    async get(keys) {
      await step('get:send');
      const answer = await inner.get(keys);
      await step('get:answer');
      return answer;
    },
    async set(entries) {
      await step('fill:send');
      const written = await inner.set(entries);
      await step('fill:answer');
      return written;
    },
    async invalidate(tags) {
      await step('invalidate:send');
      const seq = options.dropInvalidations ? `dropped-${Math.random()}` : await inner.invalidate(tags);
      await step('invalidate:answer');
      return seq;
    },
    close: () => inner.close(),
  };
  const schema = buildSchema(typeDefs, {
    Query: {
      item: async (_: unknown, { id }: { id: string }) => {
        await step('db:read');
        return { id, version: db.get(id) };
      },
    },
    Mutation: {
      bump: async (_: unknown, { id }: { id: string }) => {
        await step('db:write');
        const version = db.get(id)! + 1;
        db.set(id, version);
        return { id, version };
      },
    },
  });
  const cache = createCache({ store, strict: true, logger: { warn: () => {} } });
  cache.instrumentSchema(schema);

  const orders = new Set<string>();
  const result: InterleavingResult = { runs: 0, orderings: 0, violations: 0, joinedFlights: 0, examples: [] };
  let runNumber = 0;
  const runs = options.store === 'redis' ? options.runs.redis : options.runs.memory;

  const property = fc.asyncProperty(fc.scheduler(), fc.boolean(), fc.boolean(), async (s, throughMutation, warm) => {
    const id = `r${++runNumber}`;
    db.set(id, 1);
    let acked = 1;
    const problems: string[] = [];
    const read = (who: string): Promise<void> => actor.run(who, () => readAs(who));
    const readAs = async (who: string): Promise<void> => {
      const snapshot = acked;
      const answer = await execute({ schema, document: READ, variableValues: { id }, contextValue: {} });
      const version = (answer.data?.item as { version: number } | undefined)?.version;
      if (answer.errors || version === undefined || version < snapshot)
        problems.push(`${who} began after version ${snapshot} was acknowledged and read ${version ?? JSON.stringify(answer.errors)}`);
    };
    // Half the runs start with the old version already cached, so the invalidation must make an entry stale.
    if (warm) {
      await read('warm-up reader');
      await cache.idle();
    }
    scheduler = s;
    const actors = [
      read('reader 1'),
      read('reader 2'),
      actor.run('writer', async () => {
        if (throughMutation) {
          const answer = await execute({ schema, document: WRITE, variableValues: { id }, contextValue: {} });
          acked = (answer.data?.bump as { version: number }).version;
        } else {
          await step('db:write');
          db.set(id, 2);
          await cache.invalidate([`Item:${id}`]);
          acked = 2;
        }
        await read('reader after the acknowledgement');
      }),
      s.schedule(Promise.resolve('start'), 'start reader 3').then(() => read('reader 3')),
    ];
    let settled = false;
    const all = Promise.all(actors).then(() => (settled = true));
    while (!settled) {
      if (s.count() > 0) await s.waitOne();
      else await new Promise((resolve) => setImmediate(resolve));
    }
    await all;
    // Settled: queued fills drain (still through the scheduler), then the cache must serve the last version.
    const idle = cache.idle().then(() => (settled = false));
    while (settled) {
      if (s.count() > 0) await s.waitOne();
      else await new Promise((resolve) => setImmediate(resolve));
    }
    await idle;
    scheduler = undefined;
    await read('reader after everything settled');
    orders.add(
      s
        .report()
        .map((task) => task.label)
        .join(','),
    );
    result.runs++;
    if (problems.length > 0) {
      result.violations++;
      if (result.examples.length < 5)
        result.examples.push(
          `${problems.join('; ')} (order: ${s
            .report()
            .map((task) => task.label)
            .join(' → ')})`,
        );
    }
  });
  try {
    await fc.assert(property, { numRuns: runs, seed: options.seed ?? 42, endOnFailure: true });
  } catch {
    // counted in result.violations, with examples
  }
  result.joinedFlights = cache.stats().joinedFlights;
  await cache.close();
  result.orderings = orders.size;
  return result;
}

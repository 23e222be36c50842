/**
 * The fill/invalidate race, explored deterministically: every store call (before it is sent and before its answer
 * is delivered), every database read and every database write waits for fast-check's scheduler, which releases them
 * in a different order on each run. Per run, on one fresh item: two concurrent readers (single-flight join or not),
 * optionally after a warm-up read that stores the old version (field entry, or field entry and whole response), a
 * writer (a mutation: database write, then the invalidation it awaits; or a database write and `cache.invalidate`),
 * a reader started at a scheduled point, a reader started once the write was acknowledged, and, once everything
 * settled, a fast-path read and a field read. Each reader takes one of the read paths of readPaths.ts (field tier
 * alone, operation tier, fast path then operation tier), chosen per run, so operation lookups, operation fills and
 * fast-path misses race the invalidation as field lookups and fills do. A violation is a read that began after the
 * write was acknowledged and returned the older version, or a settled cache still serving it from either tier.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { execute, parse } from 'graphql';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { createAdapter, createCache, createMemoryStore, type Store, type StoreSeq } from '../../../src/index.js';
import { createRedisStore } from '../../../src/stores/redis/index.js';
import { buildSchema } from '../../helpers/schema.js';
import { ensureSharedRedis, uniquePrefix } from '../../helpers/redis.js';
import { readItem, readPaths, type ReadPath } from './readPaths.js';

export interface InterleavingResult {
  /** Runs explored. */
  runs: number;
  /** Distinct orders in which the scheduler released the steps. */
  orderings: number;
  violations: number;
  /** Reads that joined another request's flight (the single-flight path was explored). */
  joinedFlights: number;
  /** Reads answered from a stored response (operation lookup or fast path), warm-up reads excluded. */
  storedResponses: number;
  /** Whole responses the operation tier handed to the store while the scheduler ran (each fenced by its lookup's sequence). */
  operationFills: number;
  examples: string[];
}

export const interleavingRuns = (long: boolean): { memory: number; redis: number } => (long ? { memory: 40_000, redis: 20_000 } : { memory: 400, redis: 150 });

const typeDefs = `
  type Query { item(id: ID!): Item }
  type Mutation { bump(id: ID!): Item }
  type Item @cacheControl(maxAge: 300) { id: ID! version: Int! }
`;
const WRITE = parse('mutation($id: ID!) { bump(id: $id) { id version } }');

export async function exploreInterleavings(options: {
  store: 'memory' | 'redis';
  runs: { memory: number; redis: number };
  seed?: number;
  /** Self-test: invalidations never reach the store. */ dropInvalidations?: boolean;
  /**
   * Self-test: operation fills carry the newest sequence the store has answered instead of their lookup's, so a
   * response executed before an invalidation is stored as fresh after it (a fill that ignores its fence).
   */
  operationFillsIgnoreFence?: boolean;
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
  // Labels say which tier a call serves (operation keys start with "op:"), so the orderings count them apart.
  const tierOf = (keys: readonly string[]): string => {
    const operations = keys.filter((key) => key.startsWith('op:')).length;
    return operations === 0 ? 'field' : operations === keys.length ? 'op' : 'op+field';
  };
  let newestSeq: StoreSeq | undefined;
  // Store calls between their two steps (on Redis: waiting for the server). The scheduler chooses only once none is
  // left and every microtask has run, so every actor that can still move is waiting on a step of its own: releasing
  // the first step to appear instead would always favour the actor with the fewest awaits before its next step (it
  // let the writer's database write run before any reader's database read in every run).
  let inFlight = 0;
  let onQuiet: (() => void) | undefined;
  const tracked = async <T>(call: Promise<T>): Promise<T> => {
    inFlight++;
    try {
      return await call;
    } finally {
      if (--inFlight === 0) onQuiet?.();
    }
  };
  const quiet = async (): Promise<void> => {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (inFlight === 0) return;
      await new Promise<void>((resolve) => (onQuiet = resolve));
    }
  };
  // Each store call waits twice: before it reaches the store, and before its answer reaches the engine.
  const store: Store = {
    async get(keys) {
      await step(`${tierOf(keys)}-get:send`);
      const answer = await tracked(inner.get(keys));
      newestSeq = answer.seq;
      await step(`${tierOf(keys)}-get:answer`);
      return answer;
    },
    async set(entries) {
      const tier = tierOf(entries.map((entry) => entry.key));
      await step(`${tier}-fill:send`);
      const sent =
        options.operationFillsIgnoreFence && newestSeq !== undefined
          ? entries.map((entry) => (entry.key.startsWith('op:') ? { ...entry, fetchSeq: newestSeq! } : entry))
          : entries;
      const written = await tracked(inner.set(sent));
      await step(`${tier}-fill:answer`);
      return written;
    },
    async invalidate(tags) {
      await step('invalidate:send');
      const seq = options.dropInvalidations ? `dropped-${Math.random()}` : await tracked(inner.invalidate(tags));
      if (!options.dropInvalidations) newestSeq = seq;
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
  // The adapter every integration is built on: the operation tier and the fast path are reached through it.
  const adapter = createAdapter(cache);
  adapter.serve(schema);

  // Nothing to release, no store call out, and the run not over: something waits outside the scheduler (a timer, or
  // a store call issued on an earlier run's scheduler, which nobody drives any more: a fill that escaped
  // cache.idle() does that). Failing after a while says so, where spinning would hang the explorer.
  let idleSince: number | undefined;
  const releaseOne = async (s: fc.Scheduler, when: string): Promise<boolean> => {
    if (s.count() === 0) {
      idleSince ??= performance.now();
      if (performance.now() - idleSince > 10_000) throw new Error(`run ${runNumber} is stuck ${when}: no step to release and no store call out for 10 s`);
      return false;
    }
    idleSince = undefined;
    await s.waitOne();
    return true;
  };

  const orders = new Set<string>();
  const result: InterleavingResult = { runs: 0, orderings: 0, violations: 0, joinedFlights: 0, storedResponses: 0, operationFills: 0, examples: [] };
  let runNumber = 0;
  const runs = options.store === 'redis' ? options.runs.redis : options.runs.memory;

  const path = fc.constantFrom(...readPaths);
  const arbitraries = [
    fc.scheduler(),
    fc.boolean(),
    fc.constantFrom('cold', 'field', 'operation'),
    fc.record({ reader1: path, reader2: path, reader3: path, afterAck: path }),
    // The writer starts once the scheduler released this many steps: a reader needs two to four before its database
    // read (lookups sent and answered), the writer one before its write, so a writer started at once would mostly
    // write first, and the race of a read of the old version filled after the invalidation would be rarely tried.
    fc.nat({ max: 14 }),
  ] as const;
  const property = fc.asyncProperty(...arbitraries, async (s, throughMutation, warm, paths, writerAfter) => {
    const id = `r${++runNumber}`;
    db.set(id, 1);
    let acked = 1;
    let counting = false;
    const problems: string[] = [];
    const read = (who: string, readPath: ReadPath): Promise<void> => actor.run(who, () => readAs(who, readPath));
    const readAs = async (who: string, readPath: ReadPath): Promise<void> => {
      const snapshot = acked;
      const { version, errors, answeredBy } = await readItem(adapter, schema, readPath, id);
      if (counting && answeredBy !== 'execution') result.storedResponses++;
      if (errors || version === undefined || version < snapshot)
        problems.push(`${who} (${readPath}) began after version ${snapshot} was acknowledged and read ${version ?? JSON.stringify(errors)} from ${answeredBy}`);
    };
    // Two thirds of the runs start with the old version already stored (field entry, or whole response too), so the
    // invalidation must make it stale.
    if (warm !== 'cold') {
      await read('warm-up reader', warm === 'field' ? 'field' : 'operation');
      await cache.idle();
    }
    counting = true;
    const fillsBefore = cache.stats().operationFills;
    scheduler = s;
    let startWriter!: () => void;
    const writerStarts = new Promise<void>((resolve) => (startWriter = resolve));
    const actors = [
      read('reader 1', paths.reader1),
      read('reader 2', paths.reader2),
      actor.run('writer', async () => {
        await writerStarts;
        if (throughMutation) {
          const answer = await execute({ schema, document: WRITE, variableValues: { id }, contextValue: {} });
          acked = (answer.data?.bump as { version: number }).version;
        } else {
          await step('db:write');
          db.set(id, 2);
          await cache.invalidate([`Item:${id}`]);
          acked = 2;
        }
        await read('reader after the acknowledgement', paths.afterAck);
      }),
      s.schedule(Promise.resolve('start'), 'start reader 3').then(() => read('reader 3', paths.reader3)),
    ];
    let settled = false;
    const all = Promise.all(actors).then(() => (settled = true));
    let released = 0;
    let writerStarted = false;
    while (!settled) {
      await quiet();
      // Started when its turn came, or at once when nothing else can move.
      if (!writerStarted && (released >= writerAfter || s.count() === 0)) {
        writerStarted = true;
        startWriter();
        continue;
      }
      if (!settled && (await releaseOne(s, 'before every actor finished'))) released++;
    }
    await all;
    // Settled: queued fills drain (still through the scheduler), then the cache must serve the last version.
    const idle = cache.idle().then(() => (settled = false));
    while (settled) {
      await quiet();
      if (settled) await releaseOne(s, 'waiting for cache.idle()');
    }
    await idle;
    result.operationFills += cache.stats().operationFills - fillsBefore;
    scheduler = undefined;
    // Whatever either tier kept must be the last version: the stored response (the fast path reads it without
    // executing; on a miss it executes, reading the field entry), then the field entry alone.
    await read('fast-path reader after everything settled', 'fastPath');
    await read('field reader after everything settled', 'field');
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
  // Violations are counted, not thrown (every run is explored); anything thrown is a broken explorer and fails it.
  await fc.assert(property, { numRuns: runs, seed: options.seed ?? 42, endOnFailure: true });
  result.joinedFlights = cache.stats().joinedFlights;
  await cache.close();
  result.orderings = orders.size;
  return result;
}

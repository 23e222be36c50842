/**
 * The CPU cost of a stored-response hit, in-process (the HTTP fast path's `cache.storedResponse`, no HTTP), on the
 * memory store and on the Redis store with its in-process tier in strict and in fast mode: the bench's product and
 * catalogue pages, answered once through Apollo with the plugin to store them, then `loops` concurrent loops each
 * answering one request and yielding to I/O (as requests arriving on sockets do), rounds alternated so the machine's
 * load hits every side alike. Redis's own CPU is not counted (it is another process): this is the library's side.
 *
 *   node --import tsx test/perf/hitCost.ts [rounds=5] [requestsPerRound=6000] [loops=16] [sides=memory,strict,fast]
 *   HIT_ONLY=strict node --cpu-prof --import tsx test/perf/hitCost.ts 5   # profile one side only
 */
import { ApolloServer, HeaderMap } from '@apollo/server';
import { Redis } from 'ioredis';
import { cacheDirectivesTypeDefs, createCache, createMemoryStore, type Cache, type Store } from '../../src/index.js';
import { createApolloPlugin } from '../../src/apollo/plugin.js';
import { lazyContext } from '../../src/adapter/lazyContext.js';
import { createRedisStore } from '../../src/stores/redis/index.js';
import { createDataSource, defaultDataSetShape, placementOf } from '../../bench/src/dataSource.js';
import { catalogPageQuery, productPageQuery } from '../../bench/src/operations.js';
import { cacheControlTypeDefs, createBenchContext, resolvers, typeDefs, type BenchContext } from '../../bench/src/schema.js';

const rounds = Number(process.argv[2] ?? 5);
const perRound = Number(process.argv[3] ?? 6000);
const loops = Number(process.argv[4] ?? 16);
const wanted = (process.argv[5] ?? 'memory,strict,fast').split(',');
const only = process.env.HIT_ONLY;
const dataSource = createDataSource({ latencyMs: 0 });

/** 100 hot product pages and 200 catalogue pages, drawn alike for every side. */
const bodies: { query: string; variables: Record<string, unknown> }[] = [];
for (let i = 1; i <= 100; i++) bodies.push({ query: productPageQuery, variables: { id: String(i * 7) } });
for (let i = 1; i <= 200; i++) bodies.push({ query: catalogPageQuery, variables: placementOf(defaultDataSetShape, i * 13) });

interface Side {
  readonly name: string;
  readonly cache: Cache;
  readonly store: Store;
}

async function open(name: string): Promise<Side> {
  let store: Store;
  if (name === 'memory') store = createMemoryStore();
  else {
    const client = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
    const redis = createRedisStore({
      client,
      prefix: `perf-hit-${name}-${process.pid}`,
      local: { mode: name as 'strict' | 'fast' },
      // A loaded machine must not turn hits into deadline misses: this measures CPU, not latency.
      readTimeoutMs: 2000,
      writeTimeoutMs: 2000,
    });
    if (!(await redis.whenConnected(5000))) throw new Error('no Redis on 127.0.0.1:6379');
    store = redis;
  }
  const cache = createCache({ store });
  const plugin = createApolloPlugin<BenchContext>(cache);
  const server = new ApolloServer<BenchContext>({ typeDefs: [cacheDirectivesTypeDefs, cacheControlTypeDefs, typeDefs], resolvers, plugins: [plugin] });
  await server.start();
  for (const body of bodies) {
    const httpGraphQLRequest = { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body };
    const lazy = lazyContext(async () => createBenchContext(dataSource));
    if (await plugin.adapter.answer(httpGraphQLRequest, () => lazy.build())) continue;
    await server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => lazy.forServer() });
  }
  // Fills are written after the response: give them a moment.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await server.stop();
  for (const body of bodies)
    if ((await cache.storedResponse(body, createBenchContext(dataSource))) === undefined)
      throw new Error(`${name}: not stored ${JSON.stringify(cache.stats())}`);
  return { name, cache, store };
}

const admin = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
/** Scripts Redis ran so far (all clients: run nothing else on this Redis meanwhile for exact figures). */
async function scriptsRun(): Promise<number> {
  const info = await admin.info('commandstats');
  return [...info.matchAll(/cmdstat_(?:evalsha|eval):calls=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
}

async function measure(side: Side): Promise<{ us: number; scripts: number }> {
  const scriptsBefore = side.name === 'memory' ? 0 : await scriptsRun();
  let next = 0;
  let missed = 0;
  const started = process.cpuUsage();
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (next < perRound) {
        const body = bodies[(next++ * 7919) % bodies.length]!;
        if ((await side.cache.storedResponse(body, createBenchContext(dataSource))) === undefined) missed++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }),
  );
  const used = process.cpuUsage(started);
  const scripts = side.name === 'memory' ? 0 : (await scriptsRun()) - scriptsBefore;
  if (missed > 0) console.log(`  ${side.name}: ${missed} of ${perRound} not answered`);
  return { us: (used.user + used.system) / perRound, scripts: scripts / perRound };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const sides: Side[] = [];
for (const name of wanted) sides.push(await open(name));
for (const side of sides) await measure(side);
const costs = new Map<string, number[]>(sides.map((s) => [s.name, []]));
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? sides : [...sides].reverse();
  const got: string[] = [];
  for (const side of order) {
    if (only && side.name !== only) continue;
    const { us, scripts } = await measure(side);
    costs.get(side.name)!.push(us);
    got.push(`${side.name} ${us.toFixed(1)} µs${side.name === 'memory' ? '' : ` (${scripts.toFixed(2)} scripts/hit)`}`);
  }
  console.log(`round ${round}: ${got.join(', ')}`);
}
console.log(
  `medians of ${rounds} rounds x ${perRound} hits, CPU per hit: ${[...costs]
    .filter(([, v]) => v.length > 0)
    .map(([name, v]) => `${name} ${median(v).toFixed(1)} µs`)
    .join(', ')}`,
);
for (const side of sides) await side.cache.close();
admin.disconnect();

/**
 * The CPU cost of a first-read miss, in-process: the bench schema served by Apollo with cachetag (the standalone
 * drop-in's path: fast-path lookup, then Apollo with the plugin, memory store) and by Apollo without a cache, the same
 * distinct product and catalogue pages sent to each (a fresh cache per round, so every operation misses), rounds
 * alternated so the machine's load hits both alike. Reports CPU µs per request (user + system, GC included) and the
 * ratio per round pair; medians at the end.
 *
 *   node --import tsx test/perf/missCost.ts [rounds=7] [requestsPerRound=600] [loops=1]
 *   MISS_STORE=redis node --import tsx test/perf/missCost.ts 7 600 16   # on Redis, 16 concurrent loops
 *   MISS_ONLY=cachetag node --cpu-prof --import tsx test/perf/missCost.ts 7   # profile the cachetag side only
 */
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { cacheDirectivesTypeDefs, createCache } from '../../src/index.js';
import { createApolloPlugin, type ApolloPluginOptions } from '../../src/apollo/plugin.js';
import { createMemoryStore } from '../../src/stores/memory.js';
import type { Store } from '../../src/stores/types.js';
import { createRedisStore } from '../../src/stores/redis/index.js';
import { Redis } from 'ioredis';
import { lazyContext } from '../../src/adapter/lazyContext.js';
import { createDataSource, defaultDataSetShape, placementOf } from '../../bench/src/dataSource.js';
import { catalogPageQuery, productPageQuery } from '../../bench/src/operations.js';
import { cacheControlTypeDefs, createBenchContext, peerDirectiveTypeDefs, resolvers, typeDefs, type BenchContext } from '../../bench/src/schema.js';

const rounds = Number(process.argv[2] ?? 7);
const perRound = Number(process.argv[3] ?? 600);
/** Concurrent loops, each sending one request at a time (1: strictly one after the other). */
const loops = Number(process.argv[4] ?? 1);
/** `memory` (default) or `redis` (127.0.0.1:6379, a fresh prefix per round; Redis's own CPU is not counted). */
const storeKind = process.env.MISS_STORE ?? 'memory';
const only = process.env.MISS_ONLY;
const dataSource = createDataSource({ latencyMs: 0 });
const productCount = 4000;

/** Round r's distinct requests: 70 % product pages, 30 % catalogue pages, as in mixed; each round its own ids. */
function requestsOf(round: number): { query: string; variables: Record<string, unknown> }[] {
  const out: { query: string; variables: Record<string, unknown> }[] = [];
  for (let i = 0; i < perRound; i++) {
    const productId = (((round * perRound + i) * 7919) % productCount) + 1;
    if (i % 10 < 7) out.push({ query: productPageQuery, variables: { id: String(productId) } });
    else out.push({ query: catalogPageQuery, variables: placementOf(defaultDataSetShape, productId) });
  }
  return out;
}

function httpRequest(body: object): HTTPGraphQLRequest {
  const headers = new HeaderMap([['content-type', 'application/json']]);
  return { method: 'POST', headers, search: '', body };
}

async function drain(response: Awaited<ReturnType<ApolloServer<BenchContext>['executeHTTPGraphQLRequest']>>): Promise<string> {
  if (response.body.kind === 'complete') return response.body.string;
  let text = '';
  for await (const chunk of response.body.asyncIterator) text += chunk;
  return text;
}

/** Runs `each` over `requests` in {@link loops} concurrent loops; answers in request order. */
async function inLoops<T>(requests: readonly T[], each: (request: T) => Promise<string>): Promise<string[]> {
  const out: string[] = new Array<string>(requests.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, loops) }, async () => {
      while (next < requests.length) {
        const index = next++;
        out[index] = await each(requests[index]!);
      }
    }),
  );
  return out;
}

type Runner = { name: string; run(requests: ReturnType<typeof requestsOf>): Promise<string[]>; stop(): Promise<void> };

async function apolloNoCache(): Promise<Runner> {
  const server = new ApolloServer<BenchContext>({ typeDefs: [peerDirectiveTypeDefs, typeDefs], resolvers });
  await server.start();
  return {
    name: 'apollo-nocache',
    run: (requests) =>
      inLoops(requests, async (body) => {
        const context = createBenchContext(dataSource);
        return drain(await server.executeHTTPGraphQLRequest({ httpGraphQLRequest: httpRequest(body), context: async () => context }));
      }),
    stop: () => server.stop(),
  };
}

/**
 * One cache and server for every round (so no round pays a schema build or a cold JIT), on a store that is swapped
 * for a fresh memory store before each round: every operation of the round is a first read.
 */
async function cachetag(): Promise<Runner> {
  let round = 0;
  let current: Store = await freshStore(round);
  // Forwards to the round's store; its methods are closures over that store, so no `this` to bind.
  const store = new Proxy({} as Store, { get: (_target, property) => current[property as keyof Store], has: (_target, property) => property in current });
  const cache = createCache({ store });
  const plugin = createApolloPlugin<BenchContext>(cache, JSON.parse(process.env.MISS_PLUGIN_OPTIONS ?? '{}') as ApolloPluginOptions);
  const server = new ApolloServer<BenchContext>({ typeDefs: [cacheDirectivesTypeDefs, cacheControlTypeDefs, typeDefs], resolvers, plugins: [plugin] });
  await server.start();
  return {
    name: 'cachetag',
    async run(requests) {
      await cache.idle();
      const previous = current;
      current = await freshStore(++round);
      await previous.close();
      // Setup (the fresh store) is not a request's cost: measured from here.
      const started = process.cpuUsage();
      const out = await inLoops(requests, async (body) => {
        const httpGraphQLRequest = httpRequest(body);
        const lazy = lazyContext(async () => createBenchContext(dataSource));
        const answer = await plugin.adapter.answer(httpGraphQLRequest, () => lazy.build());
        if (answer) throw new Error('a first read was answered from the cache');
        // As the standalone drop-in: the miss's fill is stored from the body Apollo serializes.
        plugin.adapter.expectBody(httpGraphQLRequest);
        const response = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => lazy.forServer() });
        plugin.adapter.bodySerialized(httpGraphQLRequest, response.body.kind === 'complete' ? response.body.string : undefined);
        return drain(response);
      });
      // The fills are part of a miss's cost (on Redis they are written after the response).
      await cache.idle();
      setupExcluded = process.cpuUsage(started);
      return out;
    },
    stop: async () => {
      await server.stop();
      await cache.close();
    },
  };
}

/** A fresh store: every operation of the round is a first read. */
async function freshStore(round: number): Promise<Store> {
  if (storeKind === 'memory') return createMemoryStore();
  if (storeKind !== 'redis') throw new Error(`MISS_STORE must be memory or redis, not ${storeKind}`);
  const redis = createRedisStore({
    client: new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true }),
    prefix: `perf-miss-${process.pid}-${round}`,
    // A loaded machine must not turn fills into deadline drops: this measures CPU, not latency.
    readTimeoutMs: 2000,
    writeTimeoutMs: 2000,
  });
  if (!(await redis.whenConnected(5000))) throw new Error('no Redis on 127.0.0.1:6379');
  return redis;
}

let setupExcluded: NodeJS.CpuUsage | undefined;

async function measure(runner: Runner, round: number): Promise<{ usPerRequest: number; bodies: string[] }> {
  const requests = requestsOf(round);
  setupExcluded = undefined;
  const started = process.cpuUsage();
  const bodies = await runner.run(requests);
  const used = setupExcluded ?? process.cpuUsage(started);
  return { usPerRequest: (used.user + used.system) / requests.length, bodies };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const baseline = await apolloNoCache();
const subject = await cachetag();
// Warm-up: JIT both paths, and check cachetag answers what Apollo answers.
const warm = [await measure(baseline, rounds + 1), await measure(subject, rounds + 1)];
if (warm[0]!.bodies.join('\n') !== warm[1]!.bodies.join('\n')) throw new Error('cachetag and Apollo answered differently');
const ratios: number[] = [];
const costs: Record<string, number[]> = { cachetag: [], 'apollo-nocache': [] };
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? [subject, baseline] : [baseline, subject];
  const got: Record<string, number> = {};
  for (const runner of order) {
    if (only && runner.name !== only) continue;
    got[runner.name] = (await measure(runner, round)).usPerRequest;
    costs[runner.name]!.push(got[runner.name]!);
  }
  if (got.cachetag && got['apollo-nocache']) ratios.push(got.cachetag / got['apollo-nocache']);
  console.log(
    `round ${round}: ${Object.entries(got)
      .map(([name, us]) => `${name} ${us.toFixed(0)} µs`)
      .join(', ')}${ratios.length ? `, ratio ${ratios.at(-1)!.toFixed(2)}` : ''}`,
  );
}
console.log(
  `median of ${rounds} rounds × ${perRound} first reads: cachetag ${costs.cachetag!.length ? median(costs.cachetag!).toFixed(0) : '-'} µs, apollo-nocache ${costs['apollo-nocache']!.length ? median(costs['apollo-nocache']!).toFixed(0) : '-'} µs CPU per request${ratios.length ? `, ratio ${median(ratios).toFixed(2)}` : ''}`,
);
await baseline.stop();
await subject.stop();

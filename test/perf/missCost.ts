/**
 * The CPU cost of a first-read miss, in-process: the bench schema served by Apollo with cachetag (the standalone
 * drop-in's path: fast-path lookup, then Apollo with the plugin, memory store) and by Apollo without a cache, the same
 * distinct product and catalogue pages sent to each (a fresh cache per round, so every operation misses), rounds
 * alternated so the machine's load hits both alike. Reports CPU µs per request (user + system, GC included) and the
 * ratio per round pair; medians at the end.
 *
 *   node --import tsx test/perf/missCost.ts [rounds=7] [requestsPerRound=600]
 *   MISS_ONLY=cachetag node --cpu-prof --import tsx test/perf/missCost.ts 7   # profile the cachetag side only
 */
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { cacheDirectivesTypeDefs, createCache } from '../../src/index.js';
import { createApolloPlugin } from '../../src/apollo/plugin.js';
import { lazyContext } from '../../src/adapter/lazyContext.js';
import { createDataSource, defaultDataSetShape, placementOf } from '../../bench/src/dataSource.js';
import { catalogPageQuery, productPageQuery } from '../../bench/src/operations.js';
import { cacheControlTypeDefs, createBenchContext, peerDirectiveTypeDefs, resolvers, typeDefs, type BenchContext } from '../../bench/src/schema.js';

const rounds = Number(process.argv[2] ?? 7);
const perRound = Number(process.argv[3] ?? 600);
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

type Runner = { name: string; run(requests: ReturnType<typeof requestsOf>): Promise<string[]>; stop(): Promise<void> };

async function apolloNoCache(): Promise<Runner> {
  const server = new ApolloServer<BenchContext>({ typeDefs: [peerDirectiveTypeDefs, typeDefs], resolvers });
  await server.start();
  return {
    name: 'apollo-nocache',
    async run(requests) {
      const out: string[] = [];
      for (const body of requests) {
        const context = createBenchContext(dataSource);
        out.push(await drain(await server.executeHTTPGraphQLRequest({ httpGraphQLRequest: httpRequest(body), context: async () => context })));
      }
      return out;
    },
    stop: () => server.stop(),
  };
}

/** A fresh cache and server per round: every operation of the round is a first read. */
function cachetag(): Runner {
  return {
    name: 'cachetag',
    async run(requests) {
      const cache = createCache();
      const plugin = createApolloPlugin<BenchContext>(cache);
      const server = new ApolloServer<BenchContext>({ typeDefs: [cacheDirectivesTypeDefs, cacheControlTypeDefs, typeDefs], resolvers, plugins: [plugin] });
      await server.start();
      // Setup (schema build, instrumentation) is not a request's cost: measured from here.
      const started = process.cpuUsage();
      const out: string[] = [];
      for (const body of requests) {
        const httpGraphQLRequest = httpRequest(body);
        const lazy = lazyContext(async () => createBenchContext(dataSource));
        const answer = await plugin.adapter.answer(httpGraphQLRequest, () => lazy.build());
        if (answer) throw new Error('a first read was answered from the cache');
        // As the standalone drop-in: the miss's fill is stored from the body Apollo serializes.
        plugin.adapter.expectBody(httpGraphQLRequest);
        const response = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => lazy.forServer() });
        plugin.adapter.bodySerialized(httpGraphQLRequest, response.body.kind === 'complete' ? response.body.string : undefined);
        out.push(await drain(response));
      }
      setupExcluded = process.cpuUsage(started);
      await server.stop();
      await cache.close();
      return out;
    },
    stop: async () => undefined,
  };
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
const subject = cachetag();
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

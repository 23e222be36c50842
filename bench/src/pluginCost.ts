/**
 * The plugin alone against Apollo's response cache, in process (no HTTP, no load generator sharing the cores): server
 * CPU per request through `executeHTTPGraphQLRequest`, the request body already parsed, as the bench's bare node:http
 * handler hands it over. Two costs, because the bench's short warm-ups leave both in its window:
 *   - hit: warmed catalogue pages (or hot product pages), read again;
 *   - miss: a fresh server and cache per round, every page a first read;
 *   - zipf: the bench's catalogue workload without HTTP: a fresh server and cache per round, `--warmup` requests then
 *     `--requests` measured, pages drawn as the bench draws them, `--concurrency` in flight, a 1 ms data source.
 * Rounds alternate the two plugins so the machine's load hits both alike; medians at the end. Uses ../dist (build first).
 *   npx tsx src/pluginCost.ts [--mode hit|miss] [--query catalog|product] [--rounds 7] [--requests 2000] [--pages 200]
 *   PLUGIN_ONLY=cachetag node --cpu-prof --import tsx src/pluginCost.ts   # profile one side
 */
import { parseArgs } from 'node:util';
import { assertOneGraphql, useOneGraphql } from './contenders/shared/oneGraphql.js';

useOneGraphql();
await assertOneGraphql();

const { ApolloServer, HeaderMap } = await import('@apollo/server');
const { default: responseCachePlugin } = await import('@apollo/server-plugin-response-cache');
const { cacheDirectivesTypeDefs, createCache } = await import('cachetag');
const { createApolloPlugin } = await import('cachetag/apollo');
const { createDataSource, defaultDataSetShape, countsOf, placementOf } = await import('./dataSource.js');
const { catalogPageQuery, productPageQuery } = await import('./operations.js');
const { cacheControlTypeDefs, createBenchContext, peerDirectiveTypeDefs, resolvers, typeDefs } = await import('./schema.js');
type BenchContext = import('./schema.js').BenchContext;
type Server = InstanceType<typeof ApolloServer<BenchContext>>;

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'hit' },
    query: { type: 'string', default: 'catalog' },
    rounds: { type: 'string', default: '7' },
    requests: { type: 'string', default: '2000' },
    pages: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '16' },
  },
});
const mode = values.mode as 'hit' | 'miss' | 'zipf';
const rounds = Number(values.rounds);
const perRound = Number(values.requests);
const pages = Number(values.pages);
const only = process.env.PLUGIN_ONLY;
const dataSource = createDataSource({ latencyMs: mode === 'zipf' ? 1 : 0 });
const { createPicker } = await import('./workloads/picker.js');
const products = countsOf(defaultDataSetShape).products;

type Body = { query: string; variables: Record<string, unknown> };
/** Page i of a round: distinct per round in miss mode, from a fixed warm set in hit mode. */
function bodyOf(index: number): Body {
  const productId = ((index * 7919) % products) + 1;
  return values.query === 'product'
    ? { query: productPageQuery, variables: { id: String(productId) } }
    : { query: catalogPageQuery, variables: placementOf(defaultDataSetShape, productId) };
}
function zipfRequests(count: number, seed: number): Body[] {
  const picker = createPicker(defaultDataSetShape, seed);
  return Array.from({ length: count }, () =>
    values.query === 'product' ? { query: productPageQuery, variables: { id: String(picker.popularProduct()) } } : { query: catalogPageQuery, variables: { ...picker.popularCatalogPage() } },
  );
}
function requestsOf(round: number): Body[] {
  if (mode === 'zipf') return zipfRequests(perRound, round + 1);
  return Array.from({ length: perRound }, (_, i) => bodyOf(mode === 'hit' ? i % pages : round * perRound + i));
}

let cachetagCache: ReturnType<typeof createCache> | undefined;
async function serve(name: string): Promise<Server> {
  if (name === 'cachetag') cachetagCache = createCache();
  const server =
    name === 'cachetag'
      ? new ApolloServer<BenchContext>({
          typeDefs: [cacheDirectivesTypeDefs, cacheControlTypeDefs, typeDefs],
          resolvers,
          plugins: [createApolloPlugin<BenchContext>(cachetagCache!)],
        })
      : new ApolloServer<BenchContext>({ typeDefs: [peerDirectiveTypeDefs, typeDefs], resolvers, plugins: [responseCachePlugin<BenchContext>()] });
  await server.start();
  return server;
}

async function send(server: Server, body: Body): Promise<string> {
  const headers = new HeaderMap([['content-type', 'application/json']]);
  const context = createBenchContext(dataSource);
  const response = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: 'POST', headers, search: '', body }, context: async () => context });
  if (response.body.kind === 'complete') return response.body.string;
  let text = '';
  for await (const chunk of response.body.asyncIterator) text += chunk;
  return text;
}

/** Sends `requests` with `--concurrency` of them in flight, as the bench's connections do; answers in request order. */
async function inFlight(server: Server, requests: Body[]): Promise<string[]> {
  const out: string[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      out[i] = await send(server, requests[i]!);
    }
  };
  await Promise.all(Array.from({ length: Number(values.concurrency) }, worker));
  return out;
}

const servers = new Map<string, Server>();
/** The share of measured requests the operation tier missed, per cachetag round. */
const operationMissShares: number[] = [];
async function measure(name: string, round: number): Promise<{ us: number; bodies: string[] }> {
  if (mode !== 'hit' || !servers.has(name)) {
    await servers.get(name)?.stop();
    servers.set(name, await serve(name));
    if (mode === 'hit') for (let i = 0; i < pages; i++) await send(servers.get(name)!, bodyOf(i));
  }
  const server = servers.get(name)!;
  if (mode === 'zipf') await inFlight(server, zipfRequests(Number(values.warmup), round + 1_000));
  const missesBefore = name === 'cachetag' ? cachetagCache!.stats().operationMisses : 0;
  const requests = requestsOf(round);
  const started = process.cpuUsage();
  const bodies = mode === 'zipf' ? await inFlight(server, requests) : [];
  if (mode !== 'zipf') for (const body of requests) bodies.push(await send(server, body));
  const used = process.cpuUsage(started);
  if (name === 'cachetag') operationMissShares.push((cachetagCache!.stats().operationMisses - missesBefore) / requests.length);
  return { us: (used.user + used.system) / requests.length, bodies };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const names = ['cachetag', 'apollo-response-cache'];
const warm = await Promise.all(names.map(async (name) => (await measure(name, rounds + 1)).bodies.join('\n')));
if (warm[0] !== warm[1]) throw new Error('the two plugins answered differently');
const costs: Record<string, number[]> = { cachetag: [], 'apollo-response-cache': [] };
const ratios: number[] = [];
for (let round = 0; round < rounds; round++) {
  const got: Record<string, number> = {};
  for (const name of round % 2 === 0 ? names : [...names].reverse()) {
    if (only && name !== only) continue;
    got[name] = (await measure(name, round)).us;
    costs[name]!.push(got[name]!);
  }
  if (got.cachetag && got['apollo-response-cache']) ratios.push(got.cachetag / got['apollo-response-cache']);
  console.log(`round ${round}: ${Object.entries(got).map(([n, us]) => `${n} ${us.toFixed(1)} µs`).join(', ')}${ratios.length ? `, ratio ${ratios.at(-1)!.toFixed(2)}` : ''}`);
}
console.log(
  `${mode} ${values.query}, median of ${rounds} rounds × ${perRound}: ${names.map((n) => `${n} ${costs[n]!.length ? median(costs[n]!).toFixed(1) : '-'} µs`).join(', ')}${ratios.length ? `, cachetag/ARC ${median(ratios).toFixed(2)}` : ''}`,
);
if (operationMissShares.length) console.log(`cachetag operation misses per measured request: median ${median(operationMissShares).toFixed(3)}`);
for (const server of servers.values()) await server.stop();

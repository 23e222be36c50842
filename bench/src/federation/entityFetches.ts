/**
 * Entity fetches in a Federation subgraph, with and without cachetag, in one run: the requests a router sends a
 * products subgraph (`_entities` with 20 representations each, ids drawn from a Zipf distribution over 10,000
 * products), over HTTP on loopback, against two Apollo Server 5 instances of the same subgraph (one with the cachetag
 * plugin on the memory store, one without), each in its own process, driven in interleaved rounds so both see the
 * same machine state. The reference
 * resolver loads rows through a DataLoader from a data source that costs `BENCH_DB_MS` per batch (default 2 ms).
 *
 * Run from the repository root (it uses the library's source and the root's dev dependencies):
 *   node --import tsx bench/src/federation/entityFetches.ts [--duration-s 5] [--rounds 3] [--concurrency 16]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import { parse } from 'graphql';
import { createCache, createMemoryStore } from '../../../src/index.js';
import { createApolloPlugin } from '../../../src/apollo/index.js';
import { createRandom, createZipf } from '../prng.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const durationMs = Number(args.get('duration-s') ?? 5) * 1000;
const rounds = Number(args.get('rounds') ?? 3);
const concurrency = Number(args.get('concurrency') ?? 16);
const dbMs = Number(process.env.BENCH_DB_MS ?? 2);
const PRODUCTS = 10_000;
const BATCH = 20;
const ZIPF_S = 1.0;

const typeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.12", import: ["@key"])
  enum CacheControlScope {
    PUBLIC
    PRIVATE
  }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  type Product @key(fields: "id") @cacheControl(maxAge: 300) {
    id: ID!
    name: String!
    price: Int!
    description: String!
  }
  type Query {
    product(id: ID!): Product
  }
`);

interface Row {
  id: string;
  name: string;
  price: number;
  description: string;
}
const rows = new Map<string, Row>();
for (let i = 0; i < PRODUCTS; i++) {
  rows.set(String(i), { id: String(i), name: `Product ${i}`, price: (i * 37) % 1000, description: `A fine product number ${i}. `.repeat(4) });
}

/** Rows loaded from the data source by this process's server. */
let loaded = 0;

function schema() {
  return buildSubgraphSchema({
    typeDefs,
    resolvers: {
      Product: {
        __resolveReference(reference: { id: string }, context: { loader: DataLoader<string, Row | null> }) {
          return context.loader.load(reference.id);
        },
      },
    },
  });
}

function loader(): DataLoader<string, Row | null> {
  return new DataLoader(async (ids: readonly string[]) => {
    loaded += ids.length;
    await sleep(dbMs);
    return ids.map((id) => rows.get(id) ?? null);
  });
}

/** Child mode: serve the subgraph (with or without cachetag), answer `stats` messages from the driver. */
async function serve(withCache: boolean): Promise<void> {
  const cache = withCache ? createCache({ store: createMemoryStore() }) : undefined;
  const server = new ApolloServer({ schema: schema(), plugins: [ApolloServerPluginInlineTraceDisabled(), ...(cache ? [createApolloPlugin(cache)] : [])] });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' }, context: async () => ({ loader: loader() }) });
  process.on('message', (message) => {
    if (message === 'stats') process.send!({ loaded, stats: cache?.stats() });
    if (message === 'reset') {
      loaded = 0;
      process.send!({ loaded });
    }
    if (message === 'stop') void server.stop().then(() => process.exit(0));
  });
  process.send!({ url });
}

interface Child {
  url: string;
  ask(message: string): Promise<{ loaded: number; stats?: unknown }>;
  stop(): void;
}

function spawnServer(mode: 'plain' | 'cachetag'): Promise<Child> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', mode], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROFILE && mode === 'cachetag' ? ['--cpu-prof', '--cpu-prof-dir=.tmp/prof'] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve) => {
    child.once('message', (message) => {
      const { url } = message as { url: string };
      resolve({
        url,
        ask(question) {
          return new Promise((answer) => {
            child.once('message', (reply) => answer(reply as { loaded: number; stats?: unknown }));
            child.send(question);
          });
        },
        stop() {
          child.send('stop');
        },
      });
    });
  });
}

const query = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { id name price description } } }`;

/** The same request bodies for both servers: each a batch of 20 Zipf-drawn representations. */
function bodies(count: number, seed: number): string[] {
  const zipf = createZipf(PRODUCTS, ZIPF_S, createRandom(seed));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const representations = Array.from({ length: BATCH }, () => ({ __typename: 'Product', id: String(zipf()) }));
    out.push(JSON.stringify({ query, variables: { representations } }));
  }
  return out;
}

async function load(url: string, requestBodies: string[]): Promise<{ requests: number; seconds: number; latencies: number[] }> {
  let next = 0;
  let requests = 0;
  const latencies: number[] = [];
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const body = requestBodies[next++ % requestBodies.length]!;
        const t0 = performance.now();
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const json = (await response.json()) as { errors?: unknown };
        if (json.errors) throw new Error(JSON.stringify(json.errors));
        latencies.push(performance.now() - t0);
        requests++;
      }
    }),
  );
  return { requests, seconds: (performance.now() - started) / 1000, latencies };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

if (args.has('serve')) {
  await serve(args.get('serve') === 'cachetag');
} else {
  const plain = await spawnServer('plain');
  const cached = await spawnServer('cachetag');
  const requestBodies = bodies(50_000, 42);
  // Warm-up: both servers once through the start of the same sequence (the cachetag one fills its store here).
  for (const target of [plain, cached]) {
    await load(target.url, requestBodies.slice(0, 2_000));
    await target.ask('reset');
  }
  const results = {
    plain: { requests: 0, seconds: 0, latencies: [] as number[], loaded: 0 },
    cachetag: { requests: 0, seconds: 0, latencies: [] as number[], loaded: 0 },
  };
  for (let round = 0; round < rounds; round++) {
    for (const [name, target] of [
      ['plain', plain],
      ['cachetag', cached],
    ] as const) {
      const result = await load(target.url, requestBodies);
      results[name].requests += result.requests;
      results[name].seconds += result.seconds;
      results[name].latencies.push(...result.latencies);
    }
  }
  results.plain.loaded = (await plain.ask('stats')).loaded;
  const cachedStats = await cached.ask('stats');
  results.cachetag.loaded = cachedStats.loaded;
  const line = (name: 'plain' | 'cachetag') => {
    const r = results[name];
    return {
      contender: name === 'plain' ? 'subgraph without cachetag' : 'subgraph with cachetag (memory store)',
      'requests/s': Math.round(r.requests / r.seconds),
      'p50 ms': Number(percentile(r.latencies, 50).toFixed(2)),
      'p99 ms': Number(percentile(r.latencies, 99).toFixed(2)),
      'rows loaded per request': Number((r.loaded / r.requests).toFixed(2)),
    };
  };
  console.log(`entity fetches: ${BATCH} representations per request, Zipf s=${ZIPF_S} over ${PRODUCTS} products, data source ${dbMs} ms per batch,`);
  console.log(`${concurrency} concurrent clients, ${rounds} rounds of ${durationMs / 1000} s per contender, interleaved, each server in its own process (Node ${process.version})`);
  console.table([line('plain'), line('cachetag')]);
  const ratio = results.cachetag.requests / results.cachetag.seconds / (results.plain.requests / results.plain.seconds);
  console.log(`throughput ratio (with / without cachetag): ${ratio.toFixed(2)}x`);
  console.log(`cachetag stats: ${JSON.stringify(cachedStats.stats)}`);
  plain.stop();
  cached.stop();
}

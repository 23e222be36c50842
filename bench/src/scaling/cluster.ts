/**
 * How the Redis store's throughput changes with Redis Cluster primaries: one
 * standalone Redis, then clusters of 3 and 6 primaries, each started here on
 * free loopback ports (no Docker) and stopped afterwards.
 *
 * Library level, no HTTP: after filling 20 000 entries (5 entity tags each,
 * about 1 KiB values), `loops` concurrent callers each run `get` of 10 random
 * keys back to back for `duration` seconds, with an invalidation of a random
 * entity tag every 100 gets. Reports gets/s as a ratio to the standalone
 * Redis, and each primary's share of the commands it executed. On the 2-core
 * machine this repository is benchmarked on, every primary and the client
 * share the same two cores, so the figure shows the cost of spreading (one
 * round trip per shard) rather than the gain of more machines.
 *
 * Usage: npm run scaling:cluster [-- --duration 10 --loops 32 --primaries 3,6]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createRedisStore } from 'cachetag/redis';
import { expandTags } from 'cachetag';
import { startRedisServer } from '../../../test/helpers/redis.js';
import { startRedisCluster } from '../../../test/helpers/redisCluster.js';
import { describeMachine } from '../lib/machine.js';
import { resultsDir } from '../lib/paths.js';

const ENTRIES = 20_000;
const KEYS_PER_GET = 10;

interface Measurement {
  readonly setup: string;
  readonly primaries: number;
  readonly getsPerSecond: number;
  readonly failedGets: number;
  /** Share of executed commands per primary, in percent. */
  readonly spreadPercent: readonly number[];
}

async function measure(
  setup: string,
  client: Parameters<typeof createRedisStore>[0]['client'],
  admins: Redis[],
  durationS: number,
  loops: number,
): Promise<Measurement> {
  const store = createRedisStore({ client, prefix: `bench-cluster-${Date.now().toString(36)}`, readTimeoutMs: 1000, writeTimeoutMs: 2000 });
  if (!(await store.whenConnected(10_000))) throw new Error(`${setup}: the store did not connect`);
  const value = new Uint8Array(1024).fill(7);
  const key = (i: number) => `Query.product:bench-${i}`;
  const { seq } = await store.get([]);
  for (let i = 0; i < ENTRIES; i += 500) {
    const batch = Array.from({ length: 500 }, (_, j) => i + j).map((n) => ({
      key: key(n),
      value,
      tags: expandTags([`Product:${n}`, `Store:${n % 100}`, `Organization:${n % 5}`, `Review:${n * 2}`, `Review:${n * 2 + 1}`]),
      ttlMs: 600_000,
      fetchSeq: seq,
    }));
    await store.set(batch);
  }
  const before = await Promise.all(admins.map(commandTotal));
  let gets = 0;
  let failed = 0;
  const deadline = performance.now() + durationS * 1000;
  const started = performance.now();
  let random = 12345;
  const next = () => (random = (random * 1103515245 + 12345) & 0x7fffffff) % ENTRIES;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (performance.now() < deadline) {
        try {
          await store.get(Array.from({ length: KEYS_PER_GET }, () => key(next())));
          gets++;
          if (gets % 100 === 0) await store.invalidate([`Product:${next()}`]);
        } catch {
          failed++;
        }
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const after = await Promise.all(admins.map(commandTotal));
  const deltas = after.map((a, i) => a - before[i]!);
  const total = deltas.reduce((a, b) => a + b, 0);
  await store.close();
  return {
    setup,
    primaries: admins.length,
    getsPerSecond: gets / elapsedS,
    failedGets: failed,
    spreadPercent: deltas.map((d) => (100 * d) / Math.max(1, total)),
  };
}

async function commandTotal(admin: Redis): Promise<number> {
  const info = await admin.info('commandstats');
  let total = 0;
  for (const match of info.matchAll(/calls=(\d+)/g)) total += Number(match[1]);
  return total;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { duration: { type: 'string', default: '10' }, loops: { type: 'string', default: '32' }, primaries: { type: 'string', default: '3,6' } },
  });
  const durationS = Number(values.duration);
  const loops = Number(values.loops);
  const results: Measurement[] = [];

  const standalone = await startRedisServer();
  try {
    const admin = new Redis({ host: '127.0.0.1', port: standalone.port });
    results.push(await measure('standalone Redis', new Redis({ host: '127.0.0.1', port: standalone.port, lazyConnect: true }), [admin], durationS, loops));
    admin.disconnect();
  } finally {
    await standalone.stop();
  }
  for (const primaries of values.primaries!.split(',').map(Number)) {
    const cluster = await startRedisCluster(primaries);
    try {
      results.push(
        await measure(
          `Redis Cluster, ${primaries} primaries`,
          cluster.template(),
          cluster.nodes.map((n) => n.admin),
          durationS,
          loops,
        ),
      );
    } finally {
      await cluster.stop();
    }
  }

  const base = results[0]!.getsPerSecond;
  const lines = [
    '# Redis store throughput by number of primaries',
    '',
    `Library level: \`get\` of ${KEYS_PER_GET} random keys among ${ENTRIES} entries (5 entity tags each, 1 KiB values), ${loops} concurrent callers, an invalidation every 100 gets, ${durationS} s per setup. Ratios to the standalone Redis, measured in one run.`,
    '',
    `Machine: ${JSON.stringify(describeMachine(null))}`,
    '',
    '| setup | gets/s × | failed gets | share of executed commands per primary |',
    '| --- | ---: | ---: | --- |',
    ...results.map(
      (r) => `| ${r.setup} | ${(r.getsPerSecond / base).toFixed(2)}× | ${r.failedGets} | ${r.spreadPercent.map((p) => `${p.toFixed(0)} %`).join(' / ')} |`,
    ),
    '',
  ];
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'scaling-cluster.md'), lines.join('\n'));
  writeFileSync(
    join(resultsDir, 'scaling-cluster.json'),
    JSON.stringify({ generatedAt: new Date().toISOString(), machine: describeMachine(null), results }, null, 2),
  );
  console.log(lines.join('\n'));
}

await main();
process.exit(0);

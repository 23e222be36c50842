/**
 * 1, 2 and 4 server processes of each Redis mode of cachetag behind a round-robin loopback balancer (balancer.ts)
 * on one Redis: throughput as ratios to 1 process of the same mode and to Apollo without a cache (1 process, same
 * balancer). Read-only workloads: each process holds its own copy of the bench data, so a mutation made through one
 * process is not seen by the data source of the others, and the mixed workload's read-your-write checks would count
 * that as stale (a shared data source is needed first; see results/scaling-instances.md).
 *
 * Usage: npm run scaling:instances [-- --processes 1,2,4 --workload hot-read --duration 5 --warmup 2] (--smoke: 1,2 and 1 s)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findContender } from '../contenders/registry.js';
import { defaultDataSetShape } from '../dataSource.js';
import { startContender, stopAllContenders, type RunningContender } from '../lib/child.js';
import { describeMachine } from '../lib/machine.js';
import { resultsDir } from '../lib/paths.js';
import { createGuardedRedis, deleteNamespace } from '../lib/redisTarget.js';
import { catalog } from '../workloads/catalog.js';
import { hotRead } from '../workloads/hot-read.js';
import { startBalancer } from './balancer.js';

const modes = ['cachetag-redis', 'cachetag-redis-local-strict', 'cachetag-redis-local-fast'];

interface Row {
  readonly contender: string;
  readonly processes: number;
  readonly requestsPerSecond: number;
  readonly errors: number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      processes: { type: 'string', default: '1,2,4' },
      workload: { type: 'string', default: 'hot-read' },
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '16' },
    },
  });
  const smoke = values.smoke === true;
  const counts = (smoke ? '1,2' : values.processes!).split(',').map(Number);
  const durationS = smoke ? 1 : Number(values.duration);
  const warmupS = smoke ? 1 : Number(values.warmup);
  const connections = Number(values.connections);
  const workload = [hotRead, catalog].find((w) => w.id === values.workload);
  if (!workload) throw new Error('--workload: hot-read or catalog (read-only workloads only)');
  const redis = createGuardedRedis();
  const rows: Row[] = [];
  try {
    for (const id of ['apollo-nocache', ...modes]) {
      const spec = findContender(id)!;
      for (const count of id === 'apollo-nocache' ? [1] : counts) {
        const namespace = `ctb:${Date.now().toString(36)}-${process.pid}:instances:${id}:${count}`;
        const running: RunningContender[] = [];
        try {
          for (let i = 0; i < count; i++) running.push(await startContender(spec, { env: { BENCH_REDIS_NAMESPACE: namespace } }));
          const balancer = await startBalancer(running.map((r) => r.baseUrl));
          try {
            const drive = (s: number, seed: number) => workload.run({ baseUrl: balancer.baseUrl, durationS: s, connections, seed, shape: defaultDataSetShape });
            if (warmupS > 0) await drive(warmupS, 1_000);
            const measured = await drive(durationS, 1);
            rows.push({ contender: id, processes: count, requestsPerSecond: measured.requests / measured.elapsedS, errors: measured.errors });
            console.log(`${count} × ${id}: ${(measured.requests / measured.elapsedS).toFixed(0)} requests/s, ${measured.errors} errors`);
          } finally {
            await balancer.close();
          }
        } finally {
          await Promise.all(running.map((server) => server.stop()));
          await deleteNamespace(redis, namespace).catch(() => 0);
        }
      }
    }
  } finally {
    await redis.quit();
  }
  const noCache = rows.find((r) => r.contender === 'apollo-nocache')!.requestsPerSecond;
  const machine = describeMachine(null);
  const lines = [
    `# Several instances behind a round-robin balancer, on one Redis (${workload.id})`,
    '',
    `One run${smoke ? ' (smoke: too short to read anything into)' : ''} on ${machine.cpuModel} (${machine.cores} cores, loaded, shared with other work), Node ${machine.node}, ${new Date().toISOString()}; ` +
      `${connections} connections to a round-robin loopback balancer (per request, in the load generator's process), ${durationS} s after ${warmupS} s of warm-up. ` +
      'Every process of a mode shares one Redis key namespace. On 2 cores, the processes, the balancer and the load generator compete for the CPU: ' +
      'the figures show what sharing one Redis costs, not how far the design scales on bigger hardware.',
    '',
    '| contender | processes | requests/s × 1 process | requests/s × no cache | errors |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => {
      const one = rows.find((o) => o.contender === r.contender && o.processes === 1)!.requestsPerSecond;
      return `| ${r.contender} | ${r.processes} | ${(r.requestsPerSecond / one).toFixed(2)}× | ${(r.requestsPerSecond / noCache).toFixed(2)}× | ${r.errors} |`;
    }),
    '',
    'Not measured: the mixed workload through the balancer (stale reads with read-your-write checks landing on another process): ' +
      "each bench process holds its own copy of the data, so another process's data source would not see the write.",
    '',
  ];
  if (!smoke) {
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'scaling-instances.md'), lines.join('\n'));
  }
  console.log(lines.join('\n'));
  return rows.some((r) => r.errors > 0) ? 1 : 0;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
} finally {
  await stopAllContenders();
}
process.exit(exitCode);

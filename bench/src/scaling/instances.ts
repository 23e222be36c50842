/**
 * 1, 2 and 4 server processes of each Redis mode of cachetag behind a round-robin loopback balancer (balancer.ts)
 * on one Redis and one shared data server (sharedData/, a child process holding the one copy of the bench data, its
 * simulated latency and its call counters), as servers behind a production balancer share a database: a write made
 * through one process is read by the others, so the mixed workload's read-your-write checks, which land on another
 * process than the write, count real stale reads. Reports requests/s as ratios to 1 process of the same mode and to
 * Apollo without a cache (1 process, same balancer, same data server), stale reads / checks, data-source calls.
 *
 * Usage: npm run scaling:instances [-- --processes 1,2,4 --workload hot-read,mixed --duration 5 --warmup 2
 * --modes cachetag-redis,...] (--smoke: 1 and 2 processes, 1 s each, nothing written to results/)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findContender } from '../contenders/registry.js';
import { defaultDataSetShape, type DataSourceStats } from '../dataSource.js';
import { startBenchProcess, startContender, stopAllContenders, type RunningContender } from '../lib/child.js';
import { describeMachine } from '../lib/machine.js';
import { benchDir, resultsDir } from '../lib/paths.js';
import { createGuardedRedis, deleteNamespace } from '../lib/redisTarget.js';
import { catalog } from '../workloads/catalog.js';
import { hotRead } from '../workloads/hot-read.js';
import { mixed } from '../workloads/mixed.js';
import type { WorkloadResult } from '../workloads/types.js';
import { startBalancer } from './balancer.js';

const allModes = ['cachetag-redis', 'cachetag-redis-local-strict', 'cachetag-redis-local-fast'];
const workloads = [hotRead, catalog, mixed];

interface Row {
  readonly workload: string;
  readonly contender: string;
  readonly processes: number;
  readonly requestsPerSecond: number;
  readonly result: WorkloadResult;
  readonly dataCalls: number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      processes: { type: 'string', default: '1,2,4' },
      workload: { type: 'string', default: 'hot-read,mixed' },
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '16' },
      modes: { type: 'string', default: allModes.join(',') },
    },
  });
  const smoke = values.smoke === true;
  const counts = (smoke ? '1,2' : values.processes!).split(',').map(Number);
  const durationS = smoke ? 1 : Number(values.duration);
  const warmupS = smoke ? 1 : Number(values.warmup);
  const connections = Number(values.connections);
  const chosen = values.workload!.split(',').map((id) => {
    const workload = workloads.find((w) => w.id === id);
    if (!workload) throw new Error(`--workload: a comma-separated list of ${workloads.map((w) => w.id).join(', ')}; received ${JSON.stringify(id)}`);
    return workload;
  });
  const modes = values.modes!.split(',');
  const unknownMode = modes.find((mode) => !allModes.includes(mode));
  if (unknownMode !== undefined) throw new Error(`--modes: a comma-separated list of ${allModes.join(', ')}; received ${JSON.stringify(unknownMode)}`);
  const redis = createGuardedRedis();
  const rows: Row[] = [];
  try {
    for (const id of ['apollo-nocache', ...modes]) {
      const spec = findContender(id)!;
      for (const count of id === 'apollo-nocache' ? [1] : counts) {
        const namespace = `ctb:${Date.now().toString(36)}-${process.pid}:instances:${id}:${count}`;
        // A fresh data server per configuration: every one starts from the same data, as in the main bench.
        const data = await startBenchProcess('data-server', join(benchDir, 'src', 'sharedData', 'dataServerMain.ts'));
        const running: RunningContender[] = [];
        try {
          const env = { BENCH_REDIS_NAMESPACE: namespace, BENCH_DATA_URL: data.baseUrl };
          for (let i = 0; i < count; i++) running.push(await startContender(spec, { env }));
          const balancer = await startBalancer(running.map((r) => r.baseUrl));
          try {
            // Read-only workloads first: mixed writes, and every workload should meet the generated data.
            for (const workload of chosen) {
              const drive = (s: number, seed: number) => workload.run({ baseUrl: balancer.baseUrl, durationS: s, connections, seed, shape: defaultDataSetShape });
              if (warmupS > 0) await drive(warmupS, 1_000);
              await postJson(`${data.baseUrl}/reset-stats`);
              const result = await drive(durationS, 1);
              const dataStats = await getJson<DataSourceStats>(`${data.baseUrl}/stats`);
              const row = { workload: workload.id, contender: id, processes: count, requestsPerSecond: result.requests / result.elapsedS, result, dataCalls: dataStats.calls };
              rows.push(row);
              console.log(`${workload.id}, ${count} × ${id}: ${row.requestsPerSecond.toFixed(0)} requests/s, ${staleCell(row)} stale, ${result.errors} errors`);
              for (const sample of [...result.staleSamples, ...result.errorSamples]) console.log(`  ${sample}`);
            }
          } finally {
            await balancer.close();
          }
        } finally {
          await Promise.all(running.map((server) => server.stop()));
          await data.stop();
          await deleteNamespace(redis, namespace).catch(() => 0);
        }
      }
    }
  } finally {
    await redis.quit();
  }
  const lines = report(rows, chosen, { smoke, connections, durationS, warmupS });
  if (!smoke) {
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'scaling-instances.md'), lines.join('\n'));
  }
  console.log(lines.join('\n'));
  return rows.some((r) => r.result.errors > 0) ? 1 : 0;
}

function report(rows: readonly Row[], chosen: typeof workloads, run: { smoke: boolean; connections: number; durationS: number; warmupS: number }): string[] {
  const machine = describeMachine(null);
  const lines = [
    '# Several instances behind a round-robin balancer, on one Redis and one shared data source',
    '',
    `One run${run.smoke ? ' (smoke: too short to read anything into)' : ''} on ${machine.cpuModel} (${machine.cores} cores, loaded, shared with other work), Node ${machine.node}, ${new Date().toISOString()}; ` +
      `${run.connections} connections to a round-robin loopback balancer (per request, in the load generator's process), ${run.durationS} s after ${run.warmupS} s of warm-up per workload. ` +
      'Every process of a configuration shares one Redis key namespace and one data server (a child process holding the one copy of the data, 1 ms per call, ' +
      'reached over loopback HTTP), so a write through one process is read by the others. On 2 cores, the processes, the data server, the balancer and the ' +
      'load generator compete for the CPU: the figures show what sharing one Redis costs, not how far the design scales on bigger hardware.',
  ];
  for (const workload of chosen) {
    const mine = rows.filter((r) => r.workload === workload.id);
    const noCache = mine.find((r) => r.contender === 'apollo-nocache')!.requestsPerSecond;
    lines.push('', `## ${workload.id}`, '', workload.description, '');
    lines.push('| contender | processes | requests/s × 1 process | requests/s × no cache | stale reads / checks | data-source calls / request | errors |');
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of mine) {
      const one = mine.find((o) => o.contender === r.contender && o.processes === 1)!.requestsPerSecond;
      const perRequest = r.result.requests > 0 ? (r.dataCalls / r.result.requests).toFixed(2) : '–';
      lines.push(
        `| ${r.contender} | ${r.processes} | ${(r.requestsPerSecond / one).toFixed(2)}× | ${(r.requestsPerSecond / noCache).toFixed(2)}× | ${staleCell(r)} | ${perRequest} | ${r.result.errors} |`,
      );
    }
  }
  lines.push('');
  return lines;
}

function staleCell(row: Row): string {
  return row.workload === 'mixed' ? `${row.result.staleReads} / ${row.result.checks}` : '–';
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return (await response.json()) as T;
}

async function postJson(url: string): Promise<void> {
  const response = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status}`);
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

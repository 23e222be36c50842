/**
 * Throughput with 1, 2 and 4 server processes sharing one Redis.
 *
 * Starts N processes of a contender (default cachetag-redis) on one Redis
 * key namespace, so they share one cache, and drives each with its share of
 * the connections at once (autocannon against each port: a client-side
 * round robin, with no balancer process to become the bottleneck). Reports
 * total requests/s and data-source calls per request as ratios to the
 * 1-process case. Read-only workloads only: each process holds its own copy
 * of the data, so a mutation in one would not be seen by the others' data
 * sources. On a 2-core machine, 4 server processes and the load generator
 * compete for the cores: the figure shows what sharing one Redis costs or
 * saves, not how far the design scales on bigger hardware.
 *
 * Usage: npm run scaling:processes [-- --processes 1,2,4 --contender cachetag-redis --workload hot-read --duration 10]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { findContender } from '../contenders/registry.js';
import { defaultDataSetShape } from '../dataSource.js';
import { startContender, stopAllContenders, type RunningContender } from '../lib/child.js';
import { describeMachine } from '../lib/machine.js';
import { resultsDir } from '../lib/paths.js';
import { createGuardedRedis, deleteNamespace } from '../lib/redisTarget.js';
import { catalog } from '../workloads/catalog.js';
import { hotRead } from '../workloads/hot-read.js';
import type { Workload, WorkloadResult } from '../workloads/types.js';

const readOnlyWorkloads: readonly Workload[] = [hotRead, catalog];

interface ProcessCountResult {
  readonly processes: number;
  readonly requestsPerSecond: number;
  readonly dataSourceCallsPerRequest: number;
  readonly redisCommandsSentPerRequest: number | null;
  /** The worst p99 among the processes, in milliseconds. */
  readonly worstP99Ms: number;
  readonly errors: number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      processes: { type: 'string', default: '1,2,4' },
      contender: { type: 'string', default: 'cachetag-redis' },
      workload: { type: 'string', default: 'hot-read' },
      duration: { type: 'string', default: process.env.BENCH_DURATION_S ?? '10' },
      warmup: { type: 'string', default: process.env.BENCH_WARMUP_S ?? '2' },
      connections: { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '16' },
    },
  });
  const counts = values.processes!.split(',').map(Number);
  const spec = findContender(values.contender!);
  const workload = readOnlyWorkloads.find((w) => w.id === values.workload);
  const durationS = Number(values.duration);
  const warmupS = Number(values.warmup);
  const connections = Number(values.connections);
  if (!spec) throw new Error(`--contender: unknown "${values.contender}"`);
  if (!workload) throw new Error(`--workload: expected one of ${readOnlyWorkloads.map((w) => w.id).join(', ')} (read-only workloads only)`);
  if (counts.some((n) => !Number.isInteger(n) || n < 1) || !(durationS > 0) || !(warmupS >= 0) || !(connections >= Math.max(...counts))) {
    throw new Error('--processes takes positive integers, --duration a positive number, --connections at least the largest process count');
  }

  const redis: Redis | null = spec.usesRedis ? createGuardedRedis() : null;
  const results: ProcessCountResult[] = [];
  try {
    for (const count of counts) {
      const namespace = `ctb:${Date.now().toString(36)}-${process.pid}:scaling:${count}`;
      const running: RunningContender[] = [];
      try {
        for (let i = 0; i < count; i++) running.push(await startContender(spec, { env: { BENCH_REDIS_NAMESPACE: namespace } }));
        const perProcess = (i: number) => Math.floor(connections / count) + (i < connections % count ? 1 : 0);
        const drive = (durationS: number, seed: number) =>
          Promise.all(
            running.map((server, i) =>
              workload.run({ baseUrl: server.baseUrl, durationS, connections: perProcess(i), seed: seed + i, shape: defaultDataSetShape }),
            ),
          );
        if (warmupS > 0) await drive(warmupS, 1_000);
        await Promise.all(running.map((server) => server.resetStats()));
        const measured: WorkloadResult[] = await drive(durationS, 1);
        const stats = await Promise.all(running.map((server) => server.stats()));
        const requests = stats.reduce((n, s) => n + s.requests, 0);
        const sent = stats.every((s) => s.redisCommandsSent === null) ? null : stats.reduce((n, s) => n + (s.redisCommandsSent ?? 0), 0);
        const result: ProcessCountResult = {
          processes: count,
          requestsPerSecond: measured.reduce((n, r) => n + r.requests / r.elapsedS, 0),
          dataSourceCallsPerRequest: stats.reduce((n, s) => n + s.dataSourceCalls, 0) / Math.max(1, requests),
          redisCommandsSentPerRequest: sent === null ? null : sent / Math.max(1, requests),
          worstP99Ms: Math.max(...measured.map((r) => r.latencyMs.p99)),
          errors: measured.reduce((n, r) => n + r.errors, 0),
        };
        results.push(result);
        const base = results[0]!;
        console.log(
          `${count} × ${spec.id}: ${(result.requestsPerSecond / base.requestsPerSecond).toFixed(2)}× the requests/s of ${base.processes}, ` +
            `${result.dataSourceCallsPerRequest.toFixed(3)} data-source calls/request, worst p99 ${(result.worstP99Ms / base.worstP99Ms).toFixed(2)}×, ${result.errors} errors`,
        );
      } finally {
        await Promise.all(running.map((server) => server.stop()));
        if (redis) await deleteNamespace(redis, namespace).catch(() => 0);
      }
    }
  } finally {
    await redis?.quit();
  }

  const base = results[0]!;
  const report = {
    generatedAt: new Date().toISOString(),
    machine: describeMachine(null),
    settings: { contender: spec.id, workload: workload.id, durationS, warmupS, connections, processes: counts },
    results: results.map((r) => ({
      ...r,
      ratios: {
        requestsPerSecond: r.requestsPerSecond / base.requestsPerSecond,
        worstP99: r.worstP99Ms / base.worstP99Ms,
        dataSourceCallsPerRequest: base.dataSourceCallsPerRequest > 0 ? r.dataSourceCallsPerRequest / base.dataSourceCallsPerRequest : null,
      },
    })),
  };
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `scaling-processes-${spec.id}`);
  writeFileSync(`${file}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(
    `${file}.md`,
    [
      `# Throughput vs server processes: ${spec.id}, ${workload.id}`,
      '',
      `Ratios to ${base.processes} process(es), one run on ${report.machine.cpuModel} (${report.machine.cores} cores), Node ${report.machine.node}, ${report.generatedAt}; ` +
        `${connections} connections split over the processes, ${durationS} s after ${warmupS} s of warm-up. All processes share one Redis key namespace.`,
      '',
      '| processes | requests/s × | worst p99 × | data-source calls/request | Redis commands sent/request | errors |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      ...report.results.map(
        (r) =>
          `| ${r.processes} | ${r.ratios.requestsPerSecond.toFixed(2)}× | ${r.ratios.worstP99.toFixed(2)}× | ${r.dataSourceCallsPerRequest.toFixed(3)} | ` +
          `${r.redisCommandsSentPerRequest === null ? '–' : r.redisCommandsSentPerRequest.toFixed(2)} | ${r.errors} |`,
      ),
      '',
    ].join('\n'),
  );
  console.log(`Wrote ${file}.{json,md}`);
  return results.some((r) => r.errors > 0) ? 1 : 0;
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

/**
 * The benchmark driver: `npm run bench` (full) and `npm run bench:smoke`.
 *
 * For every workload, for every contender (the baseline first), it starts
 * the contender as a child process, checks its answers against an uncached
 * reference, warms it up, resets its counters, runs the workload, and reads
 * the contender's counters and Redis' INFO commandstats. Then it stops the
 * child and deletes the run's Redis keys. Every figure is then divided by the
 * baseline's figure for the same workload of the same run.
 *
 * The smoke run is a correctness check, never a timing check: it fails on a
 * contender that does not start, answers wrong data, errors, serves nothing,
 * or serves a stale read while claiming invalidation. It keeps a contender's
 * process across the workloads that do not write, since starting one costs
 * more than a smoke workload.
 *
 * Options (see --help): --smoke, --only a,b, --workloads a,b, --duration S,
 * --warmup S, --connections N, --skip-unavailable, --out DIR.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { baselineContender, contenders, misconfiguredStaleShare, type ContenderSpec } from './contenders/registry.js';
import { defaultDataSetShape, latencyMsFromEnv } from './dataSource.js';
import { renderChart } from './lib/chart.js';
import { addCounters } from './lib/counters.js';
import { startContender, stopAllContenders, type RunningContender } from './lib/child.js';
import { describeMachine, packagesUnderTest, packageVersions } from './lib/machine.js';
import { repoDir, resultsDir } from './lib/paths.js';
import { compareWithReference, referenceAnswers } from './lib/reference.js';
import { commandsBetween, createGuardedRedis, deleteNamespace, readCommandCalls } from './lib/redisTarget.js';
import { addRatios, renderMarkdown, type BenchReport, type Figures, type RunRecord } from './lib/report.js';
import { catalog } from './workloads/catalog.js';
import { hotRead } from './workloads/hot-read.js';
import { mixed } from './workloads/mixed.js';
import type { Workload } from './workloads/types.js';
import type { CounterTree } from './contenders/shared/serve.js';

const workloads: readonly Workload[] = [hotRead, catalog, mixed];

const usage = `Usage: tsx src/run.ts [options]

  --smoke                 short run (1 s per workload) that checks the figures are sane; exits 1 otherwise
  --only a,b              contenders to run (the baseline ${baselineContender} is always added)
  --workloads a,b         workloads to run: ${workloads.map((w) => w.id).join(', ')}
  --duration S            seconds per workload per contender (env BENCH_DURATION_S; default 10, smoke 1)
  --warmup S              warm-up seconds before each measurement (env BENCH_WARMUP_S; default 10, smoke 1)
  --rounds N              run the whole matrix N times, interleaved, and report medians (env BENCH_ROUNDS; default 1)
  --connections N         concurrent connections / client loops (env BENCH_CONNECTIONS; default 16)
  --skip-unavailable      leave out cachetag contenders while the library is not built, instead of failing
  --out DIR               where to write the report (default results/, smoke: results/tmp/)

Contenders: ${contenders.map((c) => c.id).join(', ')}
Env: BENCH_LATENCY_MS (simulated data-source latency, default 1), BENCH_SEED, BENCH_REDIS_URL (loopback only).`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      only: { type: 'string' },
      workloads: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      'skip-unavailable': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const smoke = values.smoke === true;
  const durationS = positiveNumber('duration', values.duration ?? process.env.BENCH_DURATION_S ?? (smoke ? '1' : '10'));
  // 10 s: the data set (4,000 products, 800 catalogue pages) takes that long to warm; what users run is the steady state.
  const warmupS = nonNegativeNumber('warmup', values.warmup ?? process.env.BENCH_WARMUP_S ?? (smoke ? '1' : '10'));
  const rounds = Math.round(positiveNumber('rounds', values.rounds ?? process.env.BENCH_ROUNDS ?? '1'));
  const connections = Math.round(positiveNumber('connections', values.connections ?? process.env.BENCH_CONNECTIONS ?? '16'));
  const seed = Math.round(nonNegativeNumber('BENCH_SEED', process.env.BENCH_SEED ?? '1'));
  const latencyMs = latencyMsFromEnv();

  const selectedContenders = selectContenders(values.only);
  const selectedWorkloads = selectList('workloads', values.workloads, workloads);
  const outDir = values.out ?? (smoke ? join(resultsDir, 'tmp') : resultsDir);
  const runId = `${Date.now().toString(36)}-${process.pid}`;

  const cachetagBuilt = ['dist/index.js', 'dist/apollo/index.js', 'dist/stores/redis/index.js'].every((file) => existsSync(join(repoDir, file)));
  const unavailable = new Map<string, string>();
  for (const spec of selectedContenders) {
    if (spec.needsCachetagBuild && !cachetagBuilt) {
      unavailable.set(spec.id, 'cachetag is not built: run `npm ci && npm run build` in the repository root (../dist is missing)');
    }
  }
  const runnable = selectedContenders.filter((spec) => !(unavailable.has(spec.id) && values['skip-unavailable']));

  let redis: Redis | null = null;
  let redisVersion: string | null = null;
  if (runnable.some((spec) => spec.usesRedis)) {
    try {
      redis = await connectRedis();
      redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? null;
    } catch (error) {
      for (const spec of runnable) if (spec.usesRedis) unavailable.set(spec.id, `Redis is not reachable: ${String(error)}`);
      redis = null;
    }
  }

  console.log(
    `${smoke ? 'Smoke run' : 'Benchmark'}: ${runnable.map((s) => s.id).join(', ')} × ${selectedWorkloads.map((w) => w.id).join(', ')}; ` +
      `${durationS} s each after ${warmupS} s warm-up, ${connections} connections, ${latencyMs} ms per data-source call`,
  );
  const expected = await referenceAnswers();
  const backgroundRedis: number[] = [];
  const total = rounds * runnable.length * selectedWorkloads.length;
  const samples = new Map<string, RunRecord[]>();
  let index = 0;

  // Rounds run the whole matrix again, so a change in the machine's load hits every contender alike.
  for (let round = 1; round <= rounds; round++) {
    const thisRound: RunRecord[] = [];
    const one = async (spec: ContenderSpec, workload: Workload, held?: HeldContender) => {
      index++;
      const label = `[${index}/${total}] ${rounds > 1 ? `round ${round}: ` : ''}${workload.id} × ${spec.id}`;
      const reason = unavailable.get(spec.id);
      const record: RunRecord =
        reason !== undefined
          ? { contender: spec.id, workload: workload.id, status: 'unavailable', reason }
          : await measure({ spec, workload, redis, runId: `${runId}-${round}`, durationS, warmupS, connections, seed, expected, backgroundRedis, held });
      thisRound.push(record);
      const key = `${workload.id}\u0000${spec.id}`;
      samples.set(key, [...(samples.get(key) ?? []), record]);
      console.log(`${label}: ${summarise(record, thisRound)}`);
    };
    if (smoke) {
      // The smoke run checks that each contender starts, answers the reference and serves every workload sanely; the
      // read-only workloads need no fresh process each, and starting one is most of a 1 s run's cost. So a contender
      // serves them in turn on one process. A workload that writes gets a fresh one, as in the full run: its stale
      // reads are judged against what each contender claims, and a cache warmed by other workloads would change them
      // (envelop's best-effort invalidation served more stale reads from a warm cache); after it, answers would no
      // longer match the reference.
      for (const spec of runnable) {
        const held: HeldContender = { current: undefined, starts: 0 };
        try {
          for (const workload of selectedWorkloads) {
            if (workload.mutates === true) await releaseHeld(held, redis);
            await one(spec, workload, held);
          }
        } finally {
          await releaseHeld(held, redis);
        }
      }
    } else {
      for (const workload of selectedWorkloads) for (const spec of runnable) await one(spec, workload);
    }
  }
  await redis?.quit();
  const runs = selectedWorkloads.flatMap((workload) => runnable.map((spec) => combineRounds(samples.get(`${workload.id}\u0000${spec.id}`)!)));

  addRatios(runs, baselineContender);
  const report: BenchReport = {
    generatedAt: new Date().toISOString(),
    mode: smoke ? 'smoke' : 'full',
    settings: { durationS, warmupS, rounds, connections, latencyMs, seed, baseline: baselineContender },
    machine: describeMachine(redisVersion),
    versions: packageVersions(packagesUnderTest),
    contenders: selectedContenders.map(({ id, library, invalidation, readYourWrites, freshnessNote, usesRedis }) => ({
      id,
      library,
      invalidation,
      readYourWrites,
      freshnessNote,
      usesRedis,
    })),
    workloads: selectedWorkloads.map(({ id, description }) => ({ id, description })),
    runs,
    notes: notes(selectedContenders, backgroundRedis, durationS, smoke),
  };
  if (smoke) report.smoke = smokeChecks(report, selectedContenders);

  mkdirSync(outDir, { recursive: true });
  const base = smoke ? 'smoke' : 'latest';
  writeFileSync(join(outDir, `${base}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, `${base}.md`), renderMarkdown(report));
  writeFileSync(join(outDir, `${base}.svg`), renderChart(report));
  console.log(`\nWrote ${join(outDir, base)}.{json,md,svg}`);

  if (report.smoke) {
    for (const warning of report.smoke.warnings) console.log(`warn: ${warning}`);
    for (const failure of report.smoke.failures) console.log(`FAIL: ${failure}`);
    console.log(report.smoke.passed ? 'Smoke checks passed.' : `Smoke checks FAILED (${report.smoke.failures.length}).`);
    return report.smoke.passed ? 0 : 1;
  }
  return runs.some((run) => run.status !== 'ok') ? 1 : 0;
}

interface MeasureOptions {
  readonly spec: ContenderSpec;
  readonly workload: Workload;
  readonly redis: Redis | null;
  readonly runId: string;
  readonly durationS: number;
  readonly warmupS: number;
  readonly connections: number;
  readonly seed: number;
  readonly expected: readonly unknown[];
  /** Redis commands per second seen while a contender without Redis ran: other clients of the shared server. */
  readonly backgroundRedis: number[];
  /** The smoke run's contender process, kept across workloads that leave the data as they found it. */
  readonly held?: HeldContender;
}

/** A contender process serving several workloads in turn (the smoke run), and its Redis key prefix. */
interface HeldContender {
  current: { contender: RunningContender; namespace: string } | undefined;
  /** Processes started so far, so each gets a key prefix of its own. */
  starts: number;
}

/** Stops the held process, if any, and deletes its Redis keys. */
async function releaseHeld(held: HeldContender, redis: Redis | null): Promise<void> {
  const current = held.current;
  held.current = undefined;
  if (current === undefined) return;
  await current.contender.stop();
  if (redis) await deleteNamespace(redis, current.namespace).catch(() => 0);
}

async function measure(options: MeasureOptions): Promise<RunRecord> {
  const { spec, workload, redis, held } = options;
  let namespace = `ctb:${options.runId}:${spec.id}:${workload.id}`;
  let contender: RunningContender | undefined;
  let keep = false;
  try {
    if (held?.current !== undefined) {
      ({ contender, namespace } = held.current);
    } else {
      if (held) namespace = `ctb:${options.runId}:${spec.id}:smoke-${++held.starts}`;
      contender = await startContender(spec, { env: { BENCH_REDIS_NAMESPACE: namespace } });
      if (held) held.current = { contender, namespace };
    }
    // Before every workload, a held process included: what it answers from its cache must still be the reference.
    const wrong = await compareWithReference(contender.baseUrl, options.expected);
    if (wrong.length > 0) throw new Error(`wrong answers: ${wrong.join('; ')}`);

    const base = { baseUrl: contender.baseUrl, connections: options.connections, shape: defaultDataSetShape };
    // Warm with a different request sequence from the same distribution than the one measured.
    if (options.warmupS > 0) await workload.run({ ...base, durationS: options.warmupS, seed: options.seed + 1_000 });
    await contender.resetStats();
    const before = redis ? await readCommandCalls(redis) : null;
    const result = await workload.run({ ...base, durationS: options.durationS, seed: options.seed });
    const stats = await contender.stats();
    const after = redis ? await readCommandCalls(redis) : null;

    const commands = before && after ? commandsBetween(before, after) : null;
    if (commands && !spec.usesRedis) options.backgroundRedis.push(commands.total / result.elapsedS);
    const perRequest = (value: number) => (stats.requests > 0 ? value / stats.requests : 0);
    const figures: Figures = {
      requests: result.requests,
      elapsedS: result.elapsedS,
      requestsPerSecond: result.requests / result.elapsedS,
      latencyMs: result.latencyMs,
      serverRequests: stats.requests,
      dataSourceCallsPerRequest: perRequest(stats.dataSourceCalls),
      dataSourceKeysPerRequest: perRequest(stats.dataSourceKeys),
      serverCpuMsPerRequest: perRequest(stats.cpuMicros / 1000),
      redisCommandsPerRequest: spec.usesRedis && commands ? perRequest(commands.total) : null,
      redisCommandsSentPerRequest: stats.redisCommandsSent === null ? null : perRequest(stats.redisCommandsSent),
      redisCommands: spec.usesRedis && commands ? commands.byCommand : null,
      libraryStats: stats.library,
      mutations: result.mutations,
      checks: result.checks,
      staleReads: result.staleReads,
      errors: result.errors,
      errorSamples: result.errorSamples,
      staleSamples: result.staleSamples,
    };
    keep = held !== undefined && workload.mutates !== true;
    return { contender: spec.id, workload: workload.id, status: 'ok', figures };
  } catch (error) {
    const output = contender?.output().trim();
    return {
      contender: spec.id,
      workload: workload.id,
      status: 'failed',
      reason: `${error instanceof Error ? error.message : String(error)}${output ? `\n--- contender output ---\n${output}` : ''}`,
    };
  } finally {
    // A failed run never hands its process to the next workload: that one starts afresh.
    if (!keep) {
      if (held) held.current = undefined;
      await contender?.stop();
      if (redis && spec.usesRedis) await deleteNamespace(redis, namespace).catch(() => 0);
    }
  }
}

/**
 * One record from the rounds of a contender × workload: medians of the rates
 * and per-request figures, sums of the counts. A failure in any round fails
 * the whole.
 */
function combineRounds(records: readonly RunRecord[]): RunRecord {
  const failed = records.find((record) => record.status !== 'ok' || record.figures === undefined);
  if (failed) return records.length > 1 ? { ...failed, reason: `round ${records.indexOf(failed) + 1} of ${records.length}: ${failed.reason ?? ''}` } : failed;
  if (records.length === 1) return records[0]!;
  const all = records.map((record) => record.figures!);
  const sum = (pick: (f: Figures) => number) => all.reduce((n, f) => n + pick(f), 0);
  const mid = (pick: (f: Figures) => number) => median(all.map(pick));
  const midOrNull = (pick: (f: Figures) => number | null) => (all.some((f) => pick(f) === null) ? null : median(all.map((f) => pick(f)!)));
  const figures: Figures = {
    requests: sum((f) => f.requests),
    elapsedS: sum((f) => f.elapsedS),
    requestsPerSecond: mid((f) => f.requestsPerSecond),
    latencyMs: {
      p50: mid((f) => f.latencyMs.p50),
      p99: mid((f) => f.latencyMs.p99),
      mean: mid((f) => f.latencyMs.mean),
      max: Math.max(...all.map((f) => f.latencyMs.max)),
    },
    serverRequests: sum((f) => f.serverRequests),
    dataSourceCallsPerRequest: mid((f) => f.dataSourceCallsPerRequest),
    dataSourceKeysPerRequest: mid((f) => f.dataSourceKeysPerRequest),
    serverCpuMsPerRequest: mid((f) => f.serverCpuMsPerRequest),
    redisCommandsPerRequest: midOrNull((f) => f.redisCommandsPerRequest),
    redisCommandsSentPerRequest: midOrNull((f) => f.redisCommandsSentPerRequest),
    redisCommands: all[0]!.redisCommands === null ? null : (addCounters(all.map((f) => f.redisCommands ?? {})) as Record<string, number>),
    libraryStats: all[0]!.libraryStats === null ? null : (addCounters(all.map((f) => f.libraryStats ?? {})) as CounterTree),
    mutations: sum((f) => f.mutations),
    checks: sum((f) => f.checks),
    staleReads: sum((f) => f.staleReads),
    errors: sum((f) => f.errors),
    errorSamples: all.flatMap((f) => f.errorSamples).slice(0, 3),
    staleSamples: all.flatMap((f) => f.staleSamples).slice(0, 3),
  };
  return { contender: records[0]!.contender, workload: records[0]!.workload, status: 'ok', figures };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function summarise(record: RunRecord, runs: readonly RunRecord[]): string {
  if (record.status !== 'ok' || !record.figures) return `${record.status}: ${(record.reason ?? '').split('\n')[0]}`;
  const f = record.figures;
  const base = runs.find((r) => r.contender === baselineContender && r.workload === record.workload && r.status === 'ok')?.figures;
  const parts = [
    base ? `${(f.requestsPerSecond / base.requestsPerSecond).toFixed(2)}× baseline requests/s` : `${f.requests} requests`,
    base ? `p99 ${(f.latencyMs.p99 / base.latencyMs.p99).toFixed(2)}×` : '',
    `${f.dataSourceCallsPerRequest.toFixed(2)} data-source calls/request`,
    `${(f.serverCpuMsPerRequest * 1000).toFixed(0)} µs server CPU/request`,
    f.redisCommandsSentPerRequest === null ? '' : `${f.redisCommandsSentPerRequest.toFixed(2)} Redis commands sent/request`,
    f.redisCommandsPerRequest === null ? '' : `${f.redisCommandsPerRequest.toFixed(2)} executed`,
    f.checks > 0 ? `${f.staleReads}/${f.checks} stale` : '',
    storeErrors(f.libraryStats),
    `${f.errors} errors`,
  ];
  return parts.filter(Boolean).join(', ');
}

/** cachetag's `errors` counters (store or codec failures answered as misses), as "CODE×n". */
function storeErrors(stats: CounterTree | null): string {
  const errors = stats?.errors;
  if (errors === undefined || typeof errors === 'number') return '';
  const parts = Object.entries(errors).filter(([, n]) => typeof n === 'number' && n > 0);
  return parts.length === 0 ? '' : `cache errors ${parts.map(([code, n]) => `${code}×${String(n)}`).join(' ')}`;
}

function smokeChecks(report: BenchReport, selected: readonly ContenderSpec[]): NonNullable<BenchReport['smoke']> {
  const failures: string[] = [];
  const warnings: string[] = [];
  for (const run of report.runs) {
    const spec = selected.find((s) => s.id === run.contender)!;
    const where = `${run.workload} × ${run.contender}`;
    if (run.status !== 'ok' || !run.figures) {
      failures.push(`${where}: ${run.status}: ${(run.reason ?? '').split('\n')[0]}`);
      continue;
    }
    const f = run.figures;
    if (!(f.requests > 0 && f.requestsPerSecond > 0)) failures.push(`${where}: no request completed`);
    if (f.serverRequests === 0) failures.push(`${where}: the contender counted no request (its /stats is not wired)`);
    if (f.errors > 0) failures.push(`${where}: ${f.errors} errors, e.g. ${f.errorSamples[0] ?? '?'}`);
    if (run.contender === baselineContender && !(f.dataSourceCallsPerRequest >= 1)) {
      failures.push(`${where}: the uncached baseline made ${f.dataSourceCallsPerRequest} data-source calls per request; the counting is broken`);
    }
    if (spec.usesRedis && !(f.redisCommandsSentPerRequest !== null && f.redisCommandsSentPerRequest > 0)) {
      failures.push(`${where}: the contender sent no Redis command; its Redis store is not in use`);
    }
    const cacheErrors = storeErrors(f.libraryStats);
    if (cacheErrors !== '') warnings.push(`${where}: ${cacheErrors} (the library answered them as misses; the machine may be overloaded)`);
    if (run.workload === 'mixed') {
      if (f.checks === 0) failures.push(`${where}: no read-your-write check ran`);
      if (f.staleReads > 0) {
        const share = f.staleReads / Math.max(1, f.checks);
        const text = `${where}: ${f.staleReads} stale reads in ${f.checks} checks, e.g. ${f.staleSamples[0] ?? '?'}`;
        if (spec.readYourWrites === 'guaranteed') {
          failures.push(`${text} (it claims read-your-writes: ${spec.freshnessNote})`);
        } else if (spec.readYourWrites === 'best-effort' && share > misconfiguredStaleShare) {
          failures.push(`${text}: over ${misconfiguredStaleShare * 100} % stale, so its invalidation is not working at all`);
        } else {
          warnings.push(`${text} (${spec.readYourWrites === 'none' ? 'expected' : 'a race'}: ${spec.freshnessNote})`);
        }
      }
    }
    if (
      run.contender !== baselineContender &&
      spec.invalidation !== 'no-cache' &&
      run.workload === 'hot-read' &&
      (run.ratios?.dataSourceCallsPerRequest ?? 0) >= 1
    ) {
      warnings.push(`${where}: the cache saved no data-source calls on hot-read (${run.ratios?.dataSourceCallsPerRequest?.toFixed(2)}× the baseline)`);
    }
  }
  return { passed: failures.length === 0, failures, warnings };
}

function notes(selected: readonly ContenderSpec[], backgroundRedis: readonly number[], durationS: number, smoke: boolean): string[] {
  const out = [
    'Data-source calls per request come from the contender\'s own counters over the measured window; "requests" include the mixed workload\'s mutations and checks.',
    'Redis commands sent per request are counted in the contender process (ioredis tracing channel; an EVALSHA is one command). ' +
      'Redis commands executed per request are the INFO commandstats delta of the shared Redis on 6379 over the measured window, divided by requests: ' +
      'they include the calls Lua scripts make inside Redis and every other client of that Redis (see the background rate below).',
    smoke
      ? `Smoke run: each contender runs in its own process, kept across the read-only workloads (checked against the uncached reference before each), a fresh one for a workload that writes, with a fresh key prefix per process for Redis contenders (deleted after it); ${durationS} s is far too short to read figures into.`
      : `Each contender runs in its own process, restarted for every workload, with a fresh data set and, for Redis contenders, a fresh key prefix (deleted after the run); ${durationS} s is short, so compare ratios of one run, not runs.`,
  ];
  if (selected.some((spec) => spec.readYourWrites !== 'guaranteed')) {
    out.push(
      'Stale reads are only a smoke failure for contenders that claim read-your-writes (see Contenders); for the others they are findings, unless over ' +
        `${misconfiguredStaleShare * 100} % of checks, which would mean their invalidation is not wired at all.`,
    );
  }
  if (backgroundRedis.length > 0) {
    const average = backgroundRedis.reduce((a, b) => a + b, 0) / backgroundRedis.length;
    out.push(`Background Redis traffic while contenders without Redis ran: about ${average.toFixed(1)} commands/s.`);
  }
  return out;
}

function selectContenders(only: string | undefined): ContenderSpec[] {
  const picked = only === undefined || only.trim() === '' ? contenders.filter((spec) => !spec.optional) : selectList('only', only, contenders);
  if (!picked.some((spec) => spec.id === baselineContender)) {
    console.log(`Adding the baseline ${baselineContender}: every figure is reported as a ratio to it.`);
    picked.unshift(contenders.find((spec) => spec.id === baselineContender)!);
  }
  // The baseline runs first in every workload.
  return picked.sort((a, b) => Number(b.id === baselineContender) - Number(a.id === baselineContender));
}

function selectList<T extends { id: string }>(option: string, raw: string | undefined, all: readonly T[]): T[] {
  if (raw === undefined || raw.trim() === '') return [...all];
  const out: T[] = [];
  for (const id of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const found = all.find((item) => item.id === id);
    if (!found) throw new Error(`--${option}: unknown "${id}"; expected one of ${all.map((item) => item.id).join(', ')}`);
    if (!out.includes(found)) out.push(found);
  }
  return out;
}

async function connectRedis(): Promise<Redis> {
  const redis = createGuardedRedis({ lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null, connectTimeout: 2_000 });
  await redis.connect();
  await redis.ping();
  return redis;
}

function positiveNumber(name: string, raw: string): number {
  const value = Number(raw);
  if (!(Number.isFinite(value) && value > 0)) throw new Error(`${name} must be a positive number; received ${JSON.stringify(raw)}`);
  return value;
}

function nonNegativeNumber(name: string, raw: string): number {
  const value = Number(raw);
  if (!(Number.isFinite(value) && value >= 0)) throw new Error(`${name} must be a non-negative number; received ${JSON.stringify(raw)}`);
  return value;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  await stopAllContenders();
}
process.exit(exitCode);

/**
 * `cachetag stats`: the hit ratio of every process sharing the prefix, by reason and by coordinate (the live counters
 * they record in Redis, see stores/redis/counterBuckets.ts), what the Redis store holds under it (entries, bytes,
 * fresh and stale, coordinates by entries) and each shard's invalidation sequence; or the counters of instances'
 * Prometheus endpoints (--metrics). `--watch` refreshes it in place.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { Cluster, Redis } from 'ioredis';
import type { EntryInfo, RedisInspector, ShardState } from '../stores/redis/inspect.js';
import { counterBucketsSince, readCounterBuckets, sumCounterBuckets, type CounterTotals } from '../stores/redis/counterBuckets.js';
import { exitCodes, UsageError } from './exitCodes.js';
import type { CliIo } from './io.js';
import type { CacheStats } from '../metrics/events.js';
import { adminRequest, type AdminFlags } from './adminTarget.js';
import { progress, progressDone, redisOptions, withInspector } from './redisTarget.js';
import { countersSince, hitRatio, scrapeCounters, type ProcessCounters } from './scrapeMetrics.js';

export const statsHelp = `Usage: cachetag stats [--redis <url> [--cluster] [--prefix <p>] [--shards <n>] [--minutes <n>] [--no-scan]] [--metrics <url>]... [--json] [--watch <seconds>] [--count <n>]
       cachetag stats --url <admin url> [--token <t>] [--json]

With --redis: the hit ratio of every process sharing the prefix over the last --minutes minutes (default 5, at most
10): field hits, misses and bypasses, misses and bypasses by reason, the coordinates with the most hits, operations,
and how many instances reported (each process records its counters in Redis about once a second, see
createCache({ liveCounters })). Then what the store holds under the prefix, scanned (--no-scan skips it): entries
(fresh and stale), their bytes, the coordinates with the most entries, and each shard's invalidation sequence.
--metrics <url> (once per instance) reads instances' Prometheus endpoints (registerPrometheusMetrics) instead or too.
--url reads one server's admin endpoint (cacheAdmin, cachetag/http): its counters since it started and, on the
memory store, its entries and bytes.
--watch refreshes every <seconds> in place, with what moved during the last interval (until Ctrl-C, or --count
refreshes). Exit 0, or 1 when Redis or an endpoint cannot be read.`;

/** What `stats` reports. */
export interface StatsReport {
  /** The live counters every process recorded in Redis over the window. */
  readonly counters?: LiveCounterReport;
  /** With --watch: what the live counters moved by since the previous refresh. */
  readonly lastCounters?: LiveCounterReport;
  readonly store?: StoreStats;
  readonly processes?: ProcessCounters & { readonly hitRatio?: number };
  /** With --watch: what moved since the previous refresh. */
  readonly lastInterval?: ProcessCounters & { readonly hitRatio?: number };
}

/** Live counters summed over buckets, with ratios. */
export interface LiveCounterReport extends Omit<CounterTotals, 'byCoordinate'> {
  readonly minutes?: number;
  readonly hitRatio?: number;
  readonly operationHitRatio?: number;
  /** Coordinates by hits, most first (ten). */
  readonly topCoordinates: readonly { coordinate: string; hits: number; misses: number; bypasses: number; hitRatio?: number }[];
}

export interface StoreStats {
  readonly prefix: string;
  readonly entries: number;
  readonly fresh: number;
  readonly stale: number;
  readonly bytes: number;
  readonly topCoordinates: readonly { coordinate: string; entries: number; bytes: number }[];
  readonly sequences: readonly ShardState[];
}

export async function statsCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...redisOptions,
      watch: { type: 'string' },
      count: { type: 'string' },
      metrics: { type: 'string', multiple: true },
      minutes: { type: 'string' },
      'no-scan': { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const metrics = values.metrics ?? [];
  if (values.url) return instanceStats(values, io);
  if (!values.redis && metrics.length === 0) throw new UsageError('name a store (--redis <url>), a server (--url <admin url>) or instances (--metrics <url>).');
  const watchSeconds = values.watch === undefined ? undefined : Number(values.watch);
  if (watchSeconds !== undefined && !(watchSeconds > 0)) throw new Error(`--watch expects a number of seconds > 0; received ${values.watch}.`);
  const count = values.count === undefined ? (watchSeconds ? Infinity : 1) : Number(values.count);
  const minutes = values.minutes === undefined ? 5 : Number(values.minutes);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 10)
    throw new UsageError(`--minutes expects a whole number from 1 to 10; received ${values.minutes}.`);
  const loop = async (inspector: RedisInspector | undefined, client?: Redis | Cluster) => {
    let previous: ProcessCounters | undefined;
    let previousBuckets: Map<number, Record<string, number>> | undefined;
    for (let round = 0; round < count; round++) {
      if (round > 0) await sleep(watchSeconds! * 1000);
      const processes = metrics.length > 0 ? await scrapeCounters(metrics) : undefined;
      const buckets = inspector && client ? await readCounterBuckets(client, inspector.prefix, minutes) : undefined;
      const report: StatsReport = {
        ...(buckets ? { counters: { minutes, ...liveCounterReport(buckets.values()) } } : {}),
        ...(buckets && previousBuckets ? { lastCounters: liveCounterReport(counterBucketsSince(buckets, previousBuckets).values()) } : {}),
        ...(inspector && !values['no-scan'] ? { store: await collectStats(inspector) } : {}),
        ...(processes ? { processes: withRatio(processes) } : {}),
        ...(processes && previous ? { lastInterval: withRatio(countersSince(processes, previous)) } : {}),
      };
      previous = processes;
      previousBuckets = buckets;
      if (values.json) io.out(JSON.stringify(report, null, watchSeconds ? undefined : 2));
      else {
        if (watchSeconds && process.stdout.isTTY) process.stdout.write('\x1b[H\x1b[2J');
        for (const line of describeReport(report)) io.out(line);
      }
    }
  };
  if (values.redis) await withInspector(values, (inspector, client) => loop(inspector, client));
  else await loop(undefined);
  return exitCodes.ok;
}

/** `--url`: one server's counters and, for a memory store, what it holds (its admin endpoint). */
async function instanceStats(flags: AdminFlags & { json?: boolean | undefined }, io: CliIo): Promise<number> {
  const { body } = await adminRequest<{ stats: CacheStats; store?: { entries: number; bytes: number; seq: number } }>(flags, '/stats');
  const { stats } = body;
  const totals: CounterTotals = {
    instances: 1,
    fields: { hits: stats.hits, misses: stats.misses, bypasses: stats.bypasses },
    operations: { hits: stats.operationHits, misses: stats.operationMisses, bypasses: stats.operationBypasses },
    byCoordinate: stats.byCoordinate ?? {},
    byReason: stats.byReason ?? {},
  };
  const instance = reportOf(totals);
  if (flags.json) {
    io.out(JSON.stringify({ instance, ...(body.store ? { store: body.store } : {}), invalidations: stats.invalidations, errors: stats.errors }, null, 2));
    return exitCodes.ok;
  }
  for (const line of describeLive('since start', instance)) io.out(line);
  if (body.store) io.out(`store: ${body.store.entries} entries, ${body.store.bytes} bytes, invalidation sequence ${body.store.seq}`);
  return exitCodes.ok;
}

function liveCounterReport(buckets: Iterable<Record<string, number>>): LiveCounterReport {
  return reportOf(sumCounterBuckets(buckets));
}

function reportOf(totals: CounterTotals): LiveCounterReport {
  const ratio = hitRatio(totals.fields.hits, totals.fields.misses);
  const operationRatio = hitRatio(totals.operations.hits, totals.operations.misses);
  const topCoordinates = Object.entries(totals.byCoordinate)
    .map(([coordinate, c]) => {
      const r = hitRatio(c.hits, c.misses);
      return { coordinate, ...c, ...(r !== undefined ? { hitRatio: r } : {}) };
    })
    .sort((a, b) => b.hits - a.hits || b.misses - a.misses || (a.coordinate < b.coordinate ? -1 : 1))
    .slice(0, 10);
  const byReason = Object.fromEntries(Object.entries(totals.byReason).sort((a, b) => b[1] - a[1]));
  return {
    instances: totals.instances,
    fields: totals.fields,
    operations: totals.operations,
    ...(ratio !== undefined ? { hitRatio: ratio } : {}),
    ...(operationRatio !== undefined ? { operationHitRatio: operationRatio } : {}),
    byReason,
    topCoordinates,
  };
}

function withRatio(counters: ProcessCounters): ProcessCounters & { hitRatio?: number } {
  const ratio = hitRatio(counters.hits, counters.misses);
  return { ...counters, ...(ratio !== undefined ? { hitRatio: ratio } : {}) };
}

/** Scans the prefix once. */
export async function collectStats(inspector: RedisInspector): Promise<StoreStats> {
  const [entries, sequences] = [await inspector.entries('*', progress), await inspector.sequences()];
  progressDone();
  const byCoordinate = new Map<string, { coordinate: string; entries: number; bytes: number }>();
  for (const entry of entries) {
    const row = byCoordinate.get(entry.coordinate) ?? { coordinate: entry.coordinate, entries: 0, bytes: 0 };
    row.entries++;
    row.bytes += entry.bytes;
    byCoordinate.set(entry.coordinate, row);
  }
  const fresh = entries.filter((e: EntryInfo) => e.fresh).length;
  return {
    prefix: inspector.prefix,
    entries: entries.length,
    fresh,
    stale: entries.length - fresh,
    bytes: entries.reduce((n, e) => n + e.bytes, 0),
    topCoordinates: [...byCoordinate.values()].sort((a, b) => b.entries - a.entries || b.bytes - a.bytes).slice(0, 10),
    sequences,
  };
}

function describeReport(report: StatsReport): string[] {
  return [
    ...(report.counters ? describeLive(`last ${report.counters.minutes} min`, report.counters) : []),
    ...(report.lastCounters ? describeLive('last interval', report.lastCounters) : []),
    ...(report.store ? describeStats(report.store) : []),
    ...(report.processes ? describeCounters(`${report.processes.instances} instance${report.processes.instances === 1 ? '' : 's'}`, report.processes) : []),
    ...(report.lastInterval ? describeCounters('last interval', report.lastInterval) : []),
  ];
}

function describeCounters(label: string, c: ProcessCounters & { hitRatio?: number }): string[] {
  const ratio = c.hitRatio === undefined ? 'no lookups' : `hit ratio ${(c.hitRatio * 100).toFixed(1)}%`;
  const errors = Object.entries(c.errors).filter(([, n]) => n > 0);
  return [
    `${label}: ${ratio} (fields: ${c.hits} hits, ${c.misses} misses, ${c.bypasses} bypasses; operations: ${c.operationHits} hits, ${c.operationMisses} misses, ${c.operationBypasses} bypasses); ${c.invalidations} invalidations${errors.length ? `; errors ${errors.map(([code, n]) => `${code} ${n}`).join(', ')}` : ''}`,
  ];
}

function describeLive(label: string, c: LiveCounterReport): string[] {
  const percent = (r: number | undefined) => (r === undefined ? 'no lookups' : `${(r * 100).toFixed(1)}%`);
  const reasons = Object.entries(c.byReason);
  return [
    `${label}, ${c.instances} instance${c.instances === 1 ? '' : 's'}: field hit ratio ${percent(c.hitRatio)} (${c.fields.hits} hits, ${c.fields.misses} misses, ${c.fields.bypasses} bypasses); operations ${percent(c.operationHitRatio)} (${c.operations.hits} hits, ${c.operations.misses} misses, ${c.operations.bypasses} bypasses)`,
    ...(reasons.length ? [`  by reason: ${reasons.map(([reason, n]) => `${reason} ${n}`).join(', ')}`] : []),
    ...(c.topCoordinates.length ? ['  top coordinates by hits:'] : []),
    ...c.topCoordinates.map(
      (t) =>
        `    ${t.coordinate.padEnd(32)} ${String(t.hits).padStart(7)} hits ${String(t.misses).padStart(7)} misses ${String(t.bypasses).padStart(7)} bypasses  ${percent(t.hitRatio)}`,
    ),
  ];
}

function describeStats(stats: StoreStats): string[] {
  return [
    `prefix ${stats.prefix}: ${stats.entries} entries (${stats.fresh} fresh, ${stats.stale} stale), ${stats.bytes} bytes`,
    `invalidation sequence: ${stats.sequences.map((s) => `shard ${s.shard} ${s.counter ?? 'none'}`).join(', ')}`,
    'top coordinates by entries:',
    ...stats.topCoordinates.map((c) => `  ${c.coordinate.padEnd(32)} ${String(c.entries).padStart(6)} entries ${String(c.bytes).padStart(10)} bytes`),
  ];
}

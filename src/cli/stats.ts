/**
 * `cachetag stats`: what the Redis store holds under a prefix (entries,
 * bytes, fresh and stale, top coordinates) and how far each shard's
 * invalidation sequence went, plus the processes' hit ratio from their
 * Prometheus endpoints (--metrics); `--watch` refreshes it in place.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { EntryInfo, RedisInspector, ShardState } from '../stores/redis/inspect.js';
import { exitCodes, UsageError } from './exitCodes.js';
import type { CliIo } from './io.js';
import { progress, progressDone, redisOptions, withInspector } from './redisTarget.js';
import { countersSince, hitRatio, scrapeCounters, type ProcessCounters } from './scrapeMetrics.js';

export const statsHelp = `Usage: cachetag stats [--redis <url> [--cluster] [--prefix <p>] [--shards <n>]] [--metrics <url>]... [--json] [--watch <seconds>] [--count <n>]

What the store holds under the prefix (--redis): entries (fresh and stale), their bytes, the coordinates with the
most entries, and each shard's invalidation sequence (the number of invalidations since it started).
Hit ratios are counted in each process, not in Redis: --metrics <url> (once per instance) reads each instance's
Prometheus endpoint (registerPrometheusMetrics) and sums hits, misses, bypasses and errors; with --watch, the ratio
of the last interval is shown too. --watch refreshes every <seconds> in place (until Ctrl-C, or --count refreshes).`;

/** What `stats` reports. */
export interface StatsReport {
  readonly store?: StoreStats;
  readonly processes?: ProcessCounters & { readonly hitRatio?: number };
  /** With --watch: what moved since the previous refresh. */
  readonly lastInterval?: ProcessCounters & { readonly hitRatio?: number };
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
    options: { ...redisOptions, watch: { type: 'string' }, count: { type: 'string' }, metrics: { type: 'string', multiple: true } },
    allowPositionals: false,
  });
  const metrics = values.metrics ?? [];
  if (!values.redis && metrics.length === 0) throw new UsageError('name a store (--redis <url>) or instances (--metrics <url>), or both.');
  const watchSeconds = values.watch === undefined ? undefined : Number(values.watch);
  if (watchSeconds !== undefined && !(watchSeconds > 0)) throw new Error(`--watch expects a number of seconds > 0; received ${values.watch}.`);
  const count = values.count === undefined ? (watchSeconds ? Infinity : 1) : Number(values.count);
  const loop = async (inspector: RedisInspector | undefined) => {
    let previous: ProcessCounters | undefined;
    for (let round = 0; round < count; round++) {
      if (round > 0) await sleep(watchSeconds! * 1000);
      const processes = metrics.length > 0 ? await scrapeCounters(metrics) : undefined;
      const report: StatsReport = {
        ...(inspector ? { store: await collectStats(inspector) } : {}),
        ...(processes ? { processes: withRatio(processes) } : {}),
        ...(processes && previous ? { lastInterval: withRatio(countersSince(processes, previous)) } : {}),
      };
      previous = processes;
      if (values.json) io.out(JSON.stringify(report, null, watchSeconds ? undefined : 2));
      else {
        if (watchSeconds && process.stdout.isTTY) process.stdout.write('\x1b[H\x1b[2J');
        for (const line of describeReport(report)) io.out(line);
      }
    }
  };
  if (values.redis) await withInspector(values, loop);
  else await loop(undefined);
  return exitCodes.ok;
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

function describeStats(stats: StoreStats): string[] {
  return [
    `prefix ${stats.prefix}: ${stats.entries} entries (${stats.fresh} fresh, ${stats.stale} stale), ${stats.bytes} bytes`,
    `invalidation sequence: ${stats.sequences.map((s) => `shard ${s.shard} ${s.counter ?? 'none'}`).join(', ')}`,
    'top coordinates:',
    ...stats.topCoordinates.map((c) => `  ${c.coordinate.padEnd(32)} ${String(c.entries).padStart(6)} entries ${String(c.bytes).padStart(10)} bytes`),
  ];
}

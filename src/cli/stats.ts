/**
 * `cachetag stats`: what the Redis store holds under a prefix (entries,
 * bytes, fresh and stale, top coordinates) and how far each shard's
 * invalidation sequence went; `--watch` refreshes it in place.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { EntryInfo, RedisInspector, ShardState } from '../stores/redis/inspect.js';
import { exitCodes } from './exitCodes.js';
import type { CliIo } from './io.js';
import { progress, progressDone, redisOptions, withInspector } from './redisTarget.js';

export const statsHelp = `Usage: cachetag stats --redis <url> [--cluster] [--prefix <p>] [--shards <n>] [--json] [--watch <seconds>] [--count <n>]

What the store holds under the prefix: entries (fresh and stale), their bytes, the coordinates with the most
entries, and each shard's invalidation sequence (the number of invalidations since it started). Hit ratios are
counted in each process, not in Redis: read them from cache.stats() or the Prometheus counters.
--watch refreshes every <seconds> in place (until Ctrl-C, or --count refreshes).`;

/** What `stats` reports. */
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
    options: { ...redisOptions, watch: { type: 'string' }, count: { type: 'string' } },
    allowPositionals: false,
  });
  const watchSeconds = values.watch === undefined ? undefined : Number(values.watch);
  if (watchSeconds !== undefined && !(watchSeconds > 0)) throw new Error(`--watch expects a number of seconds > 0; received ${values.watch}.`);
  const count = values.count === undefined ? (watchSeconds ? Infinity : 1) : Number(values.count);
  await withInspector(values, async (inspector) => {
    for (let round = 0; round < count; round++) {
      if (round > 0) await sleep(watchSeconds! * 1000);
      const stats = await collectStats(inspector);
      if (values.json) io.out(JSON.stringify(stats, null, watchSeconds ? undefined : 2));
      else {
        if (watchSeconds && process.stdout.isTTY) process.stdout.write('\x1b[H\x1b[2J');
        for (const line of describeStats(stats)) io.out(line);
      }
    }
  });
  return exitCodes.ok;
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

function describeStats(stats: StoreStats): string[] {
  return [
    `prefix ${stats.prefix}: ${stats.entries} entries (${stats.fresh} fresh, ${stats.stale} stale), ${stats.bytes} bytes`,
    `invalidation sequence: ${stats.sequences.map((s) => `shard ${s.shard} ${s.counter ?? 'none'}`).join(', ')}`,
    'top coordinates:',
    ...stats.topCoordinates.map((c) => `  ${c.coordinate.padEnd(32)} ${String(c.entries).padStart(6)} entries ${String(c.bytes).padStart(10)} bytes`),
  ];
}

/**
 * Live counters in Redis (`Store.recordCounters`): every process adds its batches into one hash per minute,
 *
 *   {<prefix>:stats}:<minute>   hash, with a TTL of {@link counterBucketTtlMs}
 *     h m b                      field hits, misses, bypasses
 *     oh om ob                   operation hits, misses, bypasses
 *     c|<Type.field>|h|m|b       the same by coordinate
 *     r|<outcome>:<reason>       misses and bypasses by reason
 *     i|<instance>               batches of each process (tells how many reported)
 *
 * in one MULTI round trip per batch, so `cachetag stats --redis` reads the fleet's hit ratio by summing the last few
 * minutes, without knowing the instances. A hash holds at most 3 fields per cached coordinate, the fixed reasons and
 * one per process: bounded by the schema and the fleet, never by traffic. The buckets share one hash tag, so a
 * cluster reads them from one node in one pipeline.
 */
import type { Cluster, Redis } from 'ioredis';
import type { CounterBatch } from '../../metrics/counterBatch.js';
import type { OutcomeCounts } from '../../metrics/events.js';

/** Width of a bucket: one minute. */
export const counterBucketMs = 60_000;
/** How long a bucket lives after its last write. */
export const counterBucketTtlMs = 10 * counterBucketMs;

/** The key of the bucket of a minute (`Math.floor(ms / counterBucketMs)`). */
export function counterBucketKey(prefix: string, minute: number): string {
  return `{${prefix}:stats}:${minute}`;
}

/** Writes batches into the current minute's bucket. `now` is the wall clock, which processes roughly agree on. */
export function createCounterRecorder(client: Redis | Cluster, prefix: string, now: () => number = Date.now): (batch: CounterBatch) => Promise<void> {
  return async (batch) => {
    const key = counterBucketKey(prefix, Math.floor(now() / counterBucketMs));
    const multi = client.multi();
    for (const [field, count] of counterFields(batch)) multi.hincrby(key, field, count);
    multi.pexpire(key, counterBucketTtlMs);
    const replies = await multi.exec();
    const failed = replies?.find(([error]) => error);
    if (!replies || failed) throw failed?.[0] ?? new Error('the counters transaction was discarded');
  };
}

/** The hash fields a batch adds to (zeros left out). */
export function counterFields(batch: CounterBatch): [string, number][] {
  const fields: [string, number][] = [];
  const add = (field: string, count: number) => {
    if (count !== 0) fields.push([field, count]);
  };
  const outcomes = (head: string, counts: OutcomeCounts) => {
    add(`${head}h`, counts.hits);
    add(`${head}m`, counts.misses);
    add(`${head}b`, counts.bypasses);
  };
  outcomes('', batch.fields);
  outcomes('o', batch.operations);
  for (const [coordinate, counts] of Object.entries(batch.byCoordinate)) outcomes(`c|${coordinate}|`, counts);
  for (const [reason, count] of Object.entries(batch.byReason)) add(`r|${reason}`, count);
  add(`i|${batch.instance}`, 1);
  return fields;
}

/** The raw buckets of the last `minutes` minutes (the current one included), by minute. */
export async function readCounterBuckets(
  client: Redis | Cluster,
  prefix: string,
  minutes: number,
  now: number = Date.now(),
): Promise<Map<number, Record<string, number>>> {
  const current = Math.floor(now / counterBucketMs);
  const wanted = Array.from({ length: minutes }, (_, i) => current - i);
  const hashes = await Promise.all(wanted.map((minute) => client.hgetall(counterBucketKey(prefix, minute))));
  const buckets = new Map<number, Record<string, number>>();
  hashes.forEach((hash, i) => {
    const counts: Record<string, number> = {};
    for (const [field, value] of Object.entries(hash)) if (/^-?\d+$/.test(value)) counts[field] = Number(value);
    if (Object.keys(counts).length > 0) buckets.set(wanted[i]!, counts);
  });
  return buckets;
}

/** What moved in each bucket between two reads (a bucket gone since is left out). */
export function counterBucketsSince(
  now: Map<number, Record<string, number>>,
  before: Map<number, Record<string, number>>,
): Map<number, Record<string, number>> {
  const moved = new Map<number, Record<string, number>>();
  for (const [minute, counts] of now) {
    const old = before.get(minute) ?? {};
    const delta: Record<string, number> = {};
    for (const [field, count] of Object.entries(counts)) if (count !== (old[field] ?? 0)) delta[field] = count - (old[field] ?? 0);
    moved.set(minute, delta);
  }
  return moved;
}

/** Sums of some buckets. */
export interface CounterTotals {
  /** Processes that sent at least one batch into these buckets. */
  readonly instances: number;
  readonly fields: OutcomeCounts;
  readonly operations: OutcomeCounts;
  readonly byCoordinate: Readonly<Record<string, OutcomeCounts>>;
  readonly byReason: Readonly<Record<string, number>>;
}

/** Adds up buckets. */
export function sumCounterBuckets(buckets: Iterable<Record<string, number>>): CounterTotals {
  const zero = (): OutcomeCounts => ({ hits: 0, misses: 0, bypasses: 0 });
  const fields = zero();
  const operations = zero();
  const byCoordinate: Record<string, OutcomeCounts> = {};
  const byReason: Record<string, number> = {};
  const instances = new Set<string>();
  const outcome = { h: 'hits', m: 'misses', b: 'bypasses' } as const;
  for (const bucket of buckets) {
    for (const [field, count] of Object.entries(bucket)) {
      if (field in outcome) fields[outcome[field as keyof typeof outcome]] += count;
      else if (field.length === 2 && field[0] === 'o' && field[1]! in outcome) operations[outcome[field[1] as keyof typeof outcome]] += count;
      else if (field.startsWith('r|')) byReason[field.slice(2)] = (byReason[field.slice(2)] ?? 0) + count;
      else if (field.startsWith('i|')) instances.add(field.slice(2));
      else if (field.startsWith('c|')) {
        const end = field.lastIndexOf('|');
        const which = field.slice(end + 1);
        if (end <= 2 || !(which in outcome)) continue;
        const counts = (byCoordinate[field.slice(2, end)] ??= zero());
        counts[outcome[which as keyof typeof outcome]] += count;
      }
    }
  }
  return { instances: instances.size, fields, operations, byCoordinate, byReason };
}

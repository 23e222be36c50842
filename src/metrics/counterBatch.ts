/**
 * What a process's counters moved by over an interval, as one batch a store can record (`Store.recordCounters`), so
 * that an operator reads the hit ratio of every process sharing a store from the store alone (`cachetag stats`).
 * Its size is bounded by the schema (coordinates) and by the fixed set of reasons, never by traffic.
 */
import type { CacheStats, OutcomeCounts } from './events.js';

/** One interval of one process's counters. */
export interface CounterBatch {
  /** The process that sent it, stable for its life (`<host>:<pid>:<random>`): lets a reader count instances. */
  readonly instance: string;
  /** Cached field resolutions. */
  readonly fields: OutcomeCounts;
  /** Operations (the operation tier). */
  readonly operations: OutcomeCounts;
  /** Field resolutions by coordinate; coordinates that did not move are left out. */
  readonly byCoordinate: Readonly<Record<string, OutcomeCounts>>;
  /** Field misses and bypasses by `<outcome>:<reason>`; reasons that did not move are left out. */
  readonly byReason: Readonly<Record<string, number>>;
}

/** The batch of what moved from `before` to `now` (both from `cache.stats()`); undefined when nothing did. */
export function counterBatchBetween(instance: string, now: CacheStats, before: CacheStats | undefined): CounterBatch | undefined {
  const diff = (a: OutcomeCounts, b: OutcomeCounts | undefined): OutcomeCounts => ({
    hits: a.hits - (b?.hits ?? 0),
    misses: a.misses - (b?.misses ?? 0),
    bypasses: a.bypasses - (b?.bypasses ?? 0),
  });
  const fields = diff(now, before);
  const operations = diff(
    { hits: now.operationHits, misses: now.operationMisses, bypasses: now.operationBypasses },
    before && { hits: before.operationHits, misses: before.operationMisses, bypasses: before.operationBypasses },
  );
  const byCoordinate: Record<string, OutcomeCounts> = {};
  for (const [coordinate, counts] of Object.entries(now.byCoordinate)) {
    const moved = diff(counts, before?.byCoordinate[coordinate]);
    if (!isZero(moved)) byCoordinate[coordinate] = moved;
  }
  const byReason: Record<string, number> = {};
  for (const [reason, count] of Object.entries(now.byReason)) {
    const moved = count - (before?.byReason[reason] ?? 0);
    if (moved !== 0) byReason[reason] = moved;
  }
  if (isZero(fields) && isZero(operations)) return undefined;
  return { instance, fields, operations, byCoordinate, byReason };
}

function isZero(counts: OutcomeCounts): boolean {
  return counts.hits === 0 && counts.misses === 0 && counts.bypasses === 0;
}

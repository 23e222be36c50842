/**
 * Prometheus metrics for a cache, through prom-client (an optional peer
 * dependency; import `cachetag/prometheus` only if you use it). The metrics
 * read the engine's counters when scraped, so they cost nothing per request.
 */
import { Counter, Gauge, register as defaultRegistry, type Registry } from 'prom-client';
import type { CacheStats } from './events.js';

const outcomeLabel = { hits: 'hit', misses: 'miss', bypasses: 'bypass' } as const;

export interface PrometheusOptions {
  /** Default: prom-client's global registry. */
  registry?: Registry;
  /** Metric name prefix. Default `cachetag_`. */
  prefix?: string;
}

/**
 * Registers `<prefix>hits_total`, `misses_total`, `bypasses_total`,
 * `joined_flights_total`, `fills_total`, `invalidations_total` (acknowledged
 * only), `unacknowledged_invalidations_total`, `invalidated_tags_total`,
 * `errors_total{code}` and the gauge `pending_invalidations`; and, by label, `field_lookups_total{coordinate,outcome}`
 * (one series per cached coordinate and outcome: bounded by the schema) and `field_reasons_total{outcome,reason}`
 * (misses and bypasses by reason: a fixed set). The unlabelled totals keep their names.
 */
export function registerPrometheusMetrics(cache: { stats(): CacheStats }, options: PrometheusOptions = {}): void {
  const registry = options.registry ?? defaultRegistry;
  const prefix = options.prefix ?? 'cachetag_';
  const last: Record<string, number> = {};
  const counters: [keyof Omit<CacheStats, 'errors' | 'pendingInvalidations' | 'byCoordinate' | 'byReason'>, string, string][] = [
    ['hits', 'hits_total', 'Cached field resolutions served from the store.'],
    ['misses', 'misses_total', 'Cached field resolutions that ran the resolver or joined a flight.'],
    ['bypasses', 'bypasses_total', 'Cached field resolutions that did not use the cache.'],
    ['joinedFlights', 'joined_flights_total', 'Misses answered by a concurrent resolver call.'],
    ['fills', 'fills_total', 'Entries handed to the store.'],
    ['invalidations', 'invalidations_total', 'Acknowledged invalidations.'],
    ['unacknowledgedInvalidations', 'unacknowledged_invalidations_total', 'Invalidations the store did not acknowledge (their tags are retried).'],
    ['invalidatedTags', 'invalidated_tags_total', 'Tags invalidated.'],
    ['operationHits', 'operation_hits_total', 'Operations answered from stored responses, without execution.'],
    ['operationMisses', 'operation_misses_total', 'Eligible operations that executed.'],
    ['operationBypasses', 'operation_bypasses_total', 'Operations the operation tier could not serve.'],
    ['operationFills', 'operation_fills_total', 'Operation responses stored.'],
    ['forwardedInvalidations', 'forwarded_invalidations_total', 'Invalidations delivered to onInvalidate listeners (forwarders).'],
    ['forwardRetries', 'forward_retries_total', 'Failed onInvalidate deliveries that were retried.'],
    ['droppedInvalidations', 'dropped_invalidations_total', 'onInvalidate deliveries given up.'],
  ];
  for (const [stat, name, help] of counters) {
    new Counter({
      name: prefix + name,
      help,
      registers: [registry],
      collect() {
        const value = cache.stats()[stat];
        this.inc(value - (last[stat] ?? 0));
        last[stat] = value;
      },
    });
  }
  new Gauge({
    name: `${prefix}pending_invalidations`,
    help: 'Tags whose invalidation the store has not delivered yet (retried in the background).',
    registers: [registry],
    collect() {
      this.set(cache.stats().pendingInvalidations);
    },
  });
  new Counter({
    name: `${prefix}field_lookups_total`,
    help: 'Cached field resolutions by coordinate and outcome (hit, miss, bypass).',
    labelNames: ['coordinate', 'outcome'],
    registers: [registry],
    collect() {
      for (const [coordinate, counts] of Object.entries(cache.stats().byCoordinate ?? {})) {
        for (const outcome of ['hits', 'misses', 'bypasses'] as const) {
          const id = `coordinate:${coordinate}:${outcome}`;
          this.inc({ coordinate, outcome: outcomeLabel[outcome] }, counts[outcome] - (last[id] ?? 0));
          last[id] = counts[outcome];
        }
      }
    },
  });
  new Counter({
    name: `${prefix}field_reasons_total`,
    help: 'Cached field misses and bypasses by reason.',
    labelNames: ['outcome', 'reason'],
    registers: [registry],
    collect() {
      for (const [key, value] of Object.entries(cache.stats().byReason ?? {})) {
        const [outcome, reason] = key.split(':') as [string, string];
        this.inc({ outcome, reason }, value - (last[`reason:${key}`] ?? 0));
        last[`reason:${key}`] = value;
      }
    },
  });
  new Counter({
    name: `${prefix}errors_total`,
    help: 'Store and codec failures, by error code.',
    labelNames: ['code'],
    registers: [registry],
    collect() {
      for (const [code, value] of Object.entries(cache.stats().errors)) {
        this.inc({ code }, value - (last[`error:${code}`] ?? 0));
        last[`error:${code}`] = value;
      }
    },
  });
}

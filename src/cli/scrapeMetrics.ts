/**
 * Hit ratios live in each process, not in Redis: `cachetag stats --metrics`
 * scrapes the Prometheus endpoints of the instances (registerPrometheusMetrics)
 * and sums their counters, so one command shows the fleet's hit ratio.
 */

/** The counters of one or more processes, summed. */
export interface ProcessCounters {
  /** Endpoints that answered. */
  readonly instances: number;
  readonly hits: number;
  readonly misses: number;
  readonly bypasses: number;
  readonly operationHits: number;
  readonly operationMisses: number;
  readonly operationBypasses: number;
  readonly invalidations: number;
  /** Store and codec failures, by error code. */
  readonly errors: Readonly<Record<string, number>>;
}

const counterNames = {
  hits_total: 'hits',
  misses_total: 'misses',
  bypasses_total: 'bypasses',
  operation_hits_total: 'operationHits',
  operation_misses_total: 'operationMisses',
  operation_bypasses_total: 'operationBypasses',
  invalidations_total: 'invalidations',
} as const;

/** Fetches every endpoint (Prometheus text format) and sums the `<prefix>*` counters. */
export async function scrapeCounters(urls: readonly string[], prefix = 'cachetag_', timeoutMs = 5000): Promise<ProcessCounters> {
  const sums: Record<string, number> = {};
  const errors: Record<string, number> = {};
  for (const url of urls) {
    let text: string;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      text = await response.text();
    } catch (error) {
      throw new Error(`could not read metrics from ${url} (${error instanceof Error ? error.message : String(error)}).`, { cause: error });
    }
    for (const line of text.split('\n')) {
      const match = /^([A-Za-z_:][\w:]*)(?:\{([^}]*)\})?\s+(\S+)/.exec(line);
      if (!match || !match[1]!.startsWith(prefix)) continue;
      const name = match[1]!.slice(prefix.length);
      const value = Number(match[3]);
      if (!Number.isFinite(value)) continue;
      if (name === 'errors_total') {
        const code = /code="([^"]*)"/.exec(match[2] ?? '')?.[1] ?? 'unknown';
        errors[code] = (errors[code] ?? 0) + value;
      } else if (name in counterNames) {
        const key = counterNames[name as keyof typeof counterNames];
        sums[key] = (sums[key] ?? 0) + value;
      }
    }
  }
  const get = (key: string) => sums[key] ?? 0;
  return {
    instances: urls.length,
    hits: get('hits'),
    misses: get('misses'),
    bypasses: get('bypasses'),
    operationHits: get('operationHits'),
    operationMisses: get('operationMisses'),
    operationBypasses: get('operationBypasses'),
    invalidations: get('invalidations'),
    errors,
  };
}

/** Hits over hits and misses (bypasses did not use the cache); undefined before any lookup. */
export function hitRatio(hits: number, misses: number): number | undefined {
  return hits + misses > 0 ? hits / (hits + misses) : undefined;
}

/** The counters that moved between two scrapes (a restarted process counts from its new values). */
export function countersSince(now: ProcessCounters, before: ProcessCounters): ProcessCounters {
  const delta = (a: number, b: number) => (a >= b ? a - b : a);
  const errors: Record<string, number> = {};
  for (const [code, value] of Object.entries(now.errors)) errors[code] = delta(value, before.errors[code] ?? 0);
  return {
    instances: now.instances,
    hits: delta(now.hits, before.hits),
    misses: delta(now.misses, before.misses),
    bypasses: delta(now.bypasses, before.bypasses),
    operationHits: delta(now.operationHits, before.operationHits),
    operationMisses: delta(now.operationMisses, before.operationMisses),
    operationBypasses: delta(now.operationBypasses, before.operationBypasses),
    invalidations: delta(now.invalidations, before.invalidations),
    errors,
  };
}

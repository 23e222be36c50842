/**
 * What a fault of the matrix did to one history run, computed from the server processes' stats (sampled every 50 ms)
 * and the reads' latencies and stale times: detection, recovery, p99 before / during / after, memory growth.
 */

/** One sample of the server processes' stats, summed over processes. */
export interface Sample {
  at: number;
  errors: number;
  hits: number;
  rss: number;
  deferred: number;
}

/** What a fault did, measured from the processes' stats sampled every 50 ms and from read latencies. */
export interface FaultMeasure {
  /** From the injection to the first sample with more store errors (undefined: none seen). */
  detectMs?: number;
  /** From the heal to the first sample with new cache hits and no new store errors. */
  recoverMs?: number;
  baselineP99Ms: number;
  faultP99Ms: number;
  afterP99Ms: number;
  /** Stale reads that began before the fault was injected (not explained by it). */
  staleBeforeFault: number;
  /** Invalidations that missed their deadline before the fault (an overloaded machine), which would explain them. */
  deferredBeforeFault: number;
  /** The last stale read began this long after the heal (negative: every stale read began before the heal). */
  lastStaleAfterHealMs?: number;
  /** Resident memory of the server processes after the run minus before the fault, summed (MiB). */
  memoryGrowthMiB: number;
}

export interface FaultTimeline {
  samples: readonly Sample[];
  /** [performance.now() when the read began, its latency in ms]. */
  timedReads: readonly (readonly [number, number])[];
  /** performance.now() when each stale read began. */
  staleTimes: readonly number[];
  started: number;
  injectedAt: number;
  healedAt: number | undefined;
}

export function measureFault({ samples, timedReads, staleTimes, started, injectedAt, healedAt }: FaultTimeline): FaultMeasure {
  const p99 = (from: number, to: number): number => {
    const ms = timedReads
      .filter(([began]) => began >= from && began < to)
      .map(([, ms]) => ms)
      .sort((a, b) => a - b);
    return ms[Math.floor(ms.length * 0.99)] ?? 0;
  };
  const before = samples.filter((s) => s.at <= injectedAt).at(-1) ?? samples[0]!;
  const detected = samples.find((s) => s.at > injectedAt && s.errors > before.errors);
  let recoverMs: number | undefined;
  if (healedAt !== undefined) {
    const after = samples.filter((s) => s.at >= healedAt);
    for (let i = 1; i < after.length; i++) {
      if (after[i]!.hits > after[i - 1]!.hits && after[i]!.errors === after[i - 1]!.errors) {
        recoverMs = after[i]!.at - healedAt;
        break;
      }
    }
  }
  return {
    ...(detected ? { detectMs: detected.at - injectedAt } : {}),
    ...(recoverMs !== undefined ? { recoverMs } : {}),
    staleBeforeFault: staleTimes.filter((t) => t < injectedAt).length,
    deferredBeforeFault: before.deferred,
    ...(staleTimes.length > 0 && healedAt !== undefined ? { lastStaleAfterHealMs: Math.max(...staleTimes) - healedAt } : {}),
    // The second half of the time before the fault: warm caches, as the fault found them.
    baselineP99Ms: p99((started + injectedAt) / 2, injectedAt),
    faultP99Ms: p99(injectedAt, healedAt ?? Infinity),
    afterP99Ms: healedAt !== undefined ? p99(healedAt, Infinity) : 0,
    memoryGrowthMiB: ((samples.at(-1)?.rss ?? 0) - before.rss) / 1024 / 1024,
  };
}

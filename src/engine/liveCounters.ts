/**
 * Live counters: about once a second the cache hands its store what its counters moved by (a {@link CounterBatch}),
 * for stores that add them up across processes (`Store.recordCounters`; the Redis store does). Off the request path:
 * a timer reads `cache.stats()` and diffs it with what the store last accepted, so a failed write is carried over
 * (silently: the store's own operations already report an unreachable backend).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { invalidOption } from '../errors.js';
import { counterBatchBetween } from '../metrics/counterBatch.js';
import type { CacheStats } from '../metrics/events.js';
import type { Store } from '../stores/types.js';

/** Default interval between two batches, in milliseconds. */
export const defaultLiveCountersIntervalMs = 1000;

/** `createCache({ liveCounters })`: `false` turns them off; default on when the store records counters. */
export type LiveCountersOption = boolean | { readonly intervalMs?: number };

export interface LiveCounters {
  /** Sends what moved since the last accepted batch, now. */
  flush(): Promise<void>;
  /** Stops the timer after a last flush. */
  stop(): Promise<void>;
}

/** Starts the timer, or answers undefined when the store records no counters or the option turns them off. */
export function startLiveCounters(store: Store, snapshot: () => CacheStats, option: LiveCountersOption | undefined): LiveCounters | undefined {
  if (option !== undefined && typeof option !== 'boolean' && (option === null || typeof option !== 'object')) {
    throw invalidOption('createCache', 'liveCounters', 'a boolean or { intervalMs }', option);
  }
  const intervalMs = typeof option === 'object' ? (option.intervalMs ?? defaultLiveCountersIntervalMs) : defaultLiveCountersIntervalMs;
  if (!Number.isFinite(intervalMs) || intervalMs < 10) throw invalidOption('createCache', 'liveCounters.intervalMs', 'milliseconds, at least 10', intervalMs);
  if (option === false || typeof store.recordCounters !== 'function') return undefined;
  const record = store.recordCounters.bind(store);
  const instance = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let accepted: CacheStats | undefined;
  // One batch at a time: a slow store must not receive the same movement twice.
  let queue: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> =>
    (queue = queue.then(async () => {
      const now = snapshot();
      const batch = counterBatchBetween(instance, now, accepted);
      if (!batch) return;
      try {
        await record(batch);
        accepted = now;
      } catch {
        // Silent: the store's own operations already report an unreachable backend, and the next batch carries this one.
      }
    }));
  const timer = setInterval(() => void flush(), intervalMs);
  timer.unref();
  return {
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}

/** The history checker's options and result (history.ts runs it). */
import type { FaultMeasure } from './faultMeasure.js';

export interface HistoryOptions {
  /** A label for the report, e.g. `redis ×2, operation tier`. */
  label: string;
  /** Environment of every server process (REDIS_URL / REDIS_CLUSTER / REDIS_PREFIX / OPERATION_CACHE / FAST_PATH). */
  env: Record<string, string>;
  processes: number;
  /** Operations to run (reads and writes). */
  operations: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Seed for the operation mix (a small PRNG, so a failing history can be replayed). */
  seed?: number;
  /** A fault injected once `injectAt` operations have started and healed once `healAt` have (fault matrix). */
  fault?: {
    injectAt: number;
    healAt: number;
    inject(): Promise<void>;
    heal(): Promise<void>;
    /** A step before the fault, once `prepareAt` operations have started (a replica starts lagging). */
    prepareAt?: number;
    prepare?(): Promise<void>;
  };
}

export interface ReadStats {
  reads: number;
  stale: number;
}

export interface HistoryResult {
  label: string;
  processes: number;
  operations: number;
  reads: number;
  writes: number;
  stale: number;
  /** PRIVATE reads that returned another user's data. */
  foreign: number;
  /** Responses with an HTTP error or GraphQL errors. */
  failed: number;
  byKind: Record<'item' | 'owner' | 'list' | 'private', ReadStats>;
  /** Reads served by the HTTP fast path (answered without entering Apollo). */
  fastPathReads: number;
  /** Invalidations a Redis store did not get acknowledged in time and kept pending (the documented degraded mode). */
  deferredInvalidations: number;
  /** Store failures the caches absorbed (served uncached), summed over processes (`stats().errors`). */
  storeErrors: number;
  /** Operation-tier hits over the processes (the fast path of an integration counts there: its answers carry no header). */
  operationHits: number;
  /**
   * Each stale read's age: from the acknowledgement of the first write it missed to the moment the read began. A
   * bounded-staleness mode (the in-process tier's fast mode, an outbox answered before its relay) is judged on these.
   */
  staleAgesMs: number[];
  /** Up to 10 descriptions of violations, for the failure message. */
  examples: string[];
  readP50Ms: number;
  readP99Ms: number;
  durationMs: number;
  fault?: FaultMeasure;
}

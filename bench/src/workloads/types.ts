import type { DataSetShape } from '../dataSource.js';
import type { LatencySummary } from '../lib/latency.js';

export interface WorkloadOptions {
  /** `http://127.0.0.1:PORT`; requests go to `${baseUrl}/graphql`. */
  readonly baseUrl: string;
  readonly durationS: number;
  /** Concurrent connections (autocannon) or client loops (mixed). */
  readonly connections: number;
  /** Seeds the request sequence; the same seed gives every contender the same sequence. */
  readonly seed: number;
  /** The shape of the contender's data set, to pick valid ids. */
  readonly shape: DataSetShape;
}

export interface WorkloadResult {
  /** Completed HTTP requests (reads, mutations and checks). */
  readonly requests: number;
  readonly elapsedS: number;
  readonly latencyMs: LatencySummary;
  /** Transport errors, timeouts, non-200 answers and answers carrying GraphQL `errors`. */
  readonly errors: number;
  readonly errorSamples: readonly string[];
  readonly mutations: number;
  /** Read-your-write checks made (mixed only). */
  readonly checks: number;
  /** Checks whose answer did not reflect the write just acknowledged. */
  readonly staleReads: number;
  readonly staleSamples: readonly string[];
}

export interface Workload {
  readonly id: string;
  readonly description: string;
  /** True when the workload writes to the data set, so what a contender answers afterwards differs from the reference. */
  readonly mutates?: boolean;
  run(options: WorkloadOptions): Promise<WorkloadResult>;
}

/** Keeps the first few examples of something, for the report. */
export function sampler(limit = 3): { add(text: string): void; readonly samples: string[] } {
  const samples: string[] = [];
  return {
    samples,
    add(text) {
      if (samples.length < limit) samples.push(text.length > 300 ? `${text.slice(0, 300)}…` : text);
    },
  };
}

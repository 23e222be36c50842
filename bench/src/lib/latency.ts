/** Collects response times and summarises them; every sample is kept (a run is at most a few hundred thousand). */
export interface LatencySummary {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly max: number;
}

export class LatencyRecorder {
  #samples = new Float64Array(1 << 14);
  #count = 0;

  get count(): number {
    return this.#count;
  }

  record(milliseconds: number): void {
    if (this.#count === this.#samples.length) {
      const grown = new Float64Array(this.#samples.length * 2);
      grown.set(this.#samples);
      this.#samples = grown;
    }
    this.#samples[this.#count++] = milliseconds;
  }

  /** Adds samples recorded elsewhere (a client worker). */
  recordAll(samples: Float64Array): void {
    for (const sample of samples) this.record(sample);
  }

  /** A copy of the samples, for merging. */
  samples(): Float64Array {
    return this.#samples.slice(0, this.#count);
  }

  summary(): LatencySummary {
    if (this.#count === 0) return { p50: 0, p99: 0, mean: 0, max: 0 };
    const sorted = this.#samples.slice(0, this.#count).sort();
    let total = 0;
    for (const value of sorted) total += value;
    return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean: total / sorted.length, max: sorted[sorted.length - 1]! };
  }
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/**
 * A Hybrid Logical Clock: wall-clock milliseconds plus a logical counter, so
 * that broadcast invalidations are ordered causally across instances even
 * when their clocks drift (a receiver's clock never runs behind a message it saw).
 */

/** An HLC timestamp: `[wallMs, logical]`. */
export type HlcTimestamp = readonly [number, number];

export interface HybridLogicalClock {
  /** A timestamp for a local event (sending a message). */
  now(): HlcTimestamp;
  /** Merges a received timestamp; returns the receive event's timestamp. */
  receive(remote: HlcTimestamp): HlcTimestamp;
}

export function createHybridLogicalClock(wallMs: () => number = Date.now): HybridLogicalClock {
  let ms = 0;
  let logical = 0;
  return {
    now() {
      const wall = wallMs();
      if (wall > ms) [ms, logical] = [wall, 0];
      else logical++;
      return [ms, logical];
    },
    receive([remoteMs, remoteLogical]) {
      const wall = wallMs();
      const top = Math.max(wall, ms, remoteMs);
      if (top === ms && top === remoteMs) logical = Math.max(logical, remoteLogical) + 1;
      else if (top === ms) logical++;
      else if (top === remoteMs) logical = remoteLogical + 1;
      else logical = 0;
      ms = top;
      return [ms, logical];
    },
  };
}

/** True when a valid timestamp. */
export function isHlcTimestamp(value: unknown): value is HlcTimestamp {
  return Array.isArray(value) && value.length === 2 && value.every((n) => Number.isSafeInteger(n) && n >= 0);
}

/**
 * Combining the library's own figures (cachetag's `cache.stats()`): a window is the difference of two readings, and
 * rounds add up. Gauges (a level now, such as `pendingInvalidations`) are neither subtracted nor added: a window
 * reports the level at its end and rounds their highest level. Subtracting the gauge like a counter once reported
 * `pendingInvalidations: -8` for a window that began with 8 tags awaiting a retry and ended with none.
 */
import type { CounterTree } from '../contenders/shared/serve.js';

/** The library figures that are gauges, by name at any depth. */
export const libraryGauges: ReadonlySet<string> = new Set(['pendingInvalidations']);

/** The figures of the window between two readings. */
export function subtractCounters(now: CounterTree, before: CounterTree): CounterTree {
  const out: Record<string, number | CounterTree> = {};
  for (const [name, value] of Object.entries(now)) {
    const previous = before[name];
    if (typeof value === 'number') out[name] = libraryGauges.has(name) ? value : value - (typeof previous === 'number' ? previous : 0);
    else if (value !== null && typeof value === 'object') out[name] = subtractCounters(value, typeof previous === 'object' ? previous : {});
  }
  return out;
}

/** The figures of several windows (rounds) together. */
export function addCounters(trees: readonly CounterTree[]): Record<string, number | CounterTree> {
  const out: Record<string, number | CounterTree> = {};
  for (const tree of trees) {
    for (const [name, value] of Object.entries(tree)) {
      const current = out[name];
      if (typeof value === 'number') {
        const previous = typeof current === 'number' ? current : 0;
        out[name] = libraryGauges.has(name) ? Math.max(previous, value) : previous + value;
      } else out[name] = addCounters([typeof current === 'object' ? current : {}, value]);
    }
  }
  return out;
}

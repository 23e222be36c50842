/**
 * Strict mode's sharing of rounds: every `get` made during one turn of the
 * event loop (all the requests whose sockets became readable together, each
 * with its own per-request batch) is answered by one round to Redis, made
 * once the turn's I/O callbacks have run (setImmediate), instead of one
 * round per `get`. The round (lookup, catch-up) is what a lone `get` would
 * have sent, for the union of the keys.
 *
 * Why this keeps strict mode's guarantee: the shared round is sent after
 * every `get` it answers was called, so an invalidation acknowledged before
 * one of those calls has already been executed by Redis when the round's
 * script runs. A round already sent is never shared with a later `get` (it
 * may have been executed before an invalidation that was acknowledged since).
 */
import type { StoreLookup, StoreRead } from '../types.js';

interface Waiter {
  readonly keys: readonly string[];
  resolve(lookup: StoreLookup): void;
  reject(error: unknown): void;
}

/** Returns a `get` that gathers the calls of one event-loop turn into one call of `round` (keys deduplicated). */
export function createTickBatch(round: (keys: readonly string[]) => Promise<StoreLookup>): (keys: readonly string[]) => Promise<StoreLookup> {
  let waiting: Waiter[] = [];

  function run(): void {
    const batch = waiting;
    waiting = [];
    if (batch.length === 1) {
      const only = batch[0]!;
      round(only.keys).then(only.resolve, only.reject);
      return;
    }
    const positionOf = new Map<string, number>();
    const keys: string[] = [];
    for (const w of batch) {
      for (const key of w.keys) {
        if (!positionOf.has(key)) {
          positionOf.set(key, keys.length);
          keys.push(key);
        }
      }
    }
    round(keys).then(
      (lookup) => {
        for (const w of batch) {
          const values: StoreRead[] = w.keys.map((key) => lookup.values[positionOf.get(key)!]!);
          w.resolve({ values, seq: lookup.seq });
        }
      },
      (error: unknown) => {
        for (const w of batch) w.reject(error);
      },
    );
  }

  return (keys) =>
    new Promise<StoreLookup>((resolve, reject) => {
      if (waiting.length === 0) setImmediate(run);
      waiting.push({ keys, resolve, reject });
    });
}

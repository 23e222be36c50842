/**
 * Strict mode's sharing of rounds: the `get`s of one process share rounds to
 * Redis, and at most one round is in flight at a time. Every `get` made while
 * a round is out waits for the next one, which is sent once that round has
 * answered and the event loop's current turn has run its I/O callbacks
 * (setImmediate): all the requests whose sockets became readable meanwhile,
 * each with its own per-request batch, are answered by one round. The round
 * (lookup, catch-up) is what a lone `get` would have sent, for the union of
 * the keys. Under load this is group commit: the more requests arrive during
 * a round trip, the fewer rounds per request (the CPU a round costs, in this
 * process and in Redis, is shared by more of them); at rest it is one round
 * per `get`, as before.
 *
 * Why this keeps strict mode's guarantee: a round is sent after every `get`
 * it answers was called, so an invalidation acknowledged before one of those
 * calls has already been executed by Redis when the round's script runs. A
 * round already sent is never shared with a later `get` (it may have been
 * executed before an invalidation that was acknowledged since).
 *
 * Why one at a time costs no safety either way: a round that fails (or runs
 * out its deadline, which the store's `get` has) settles its own `get`s with
 * that error and releases the next round; nothing waits on a round forever.
 */
import type { StoreLookup, StoreRead } from '../types.js';

interface Waiter {
  readonly keys: readonly string[];
  resolve(lookup: StoreLookup): void;
  reject(error: unknown): void;
}

/** Returns a `get` that gathers concurrent calls into rounds of `round` (keys deduplicated), one round in flight at a time. */
export function createTickBatch(round: (keys: readonly string[]) => Promise<StoreLookup>): (keys: readonly string[]) => Promise<StoreLookup> {
  let waiting: Waiter[] = [];
  let scheduled = false;
  let inFlight = false;

  function schedule(): void {
    if (scheduled || inFlight || waiting.length === 0) return;
    scheduled = true;
    setImmediate(run);
  }

  function settled(): void {
    inFlight = false;
    schedule();
  }

  function run(): void {
    scheduled = false;
    const batch = waiting;
    waiting = [];
    inFlight = true;
    let sent: Promise<StoreLookup>;
    let keys: readonly string[];
    let positionOf: Map<string, number> | undefined;
    if (batch.length === 1) keys = batch[0]!.keys;
    else {
      positionOf = new Map<string, number>();
      const union: string[] = [];
      for (const w of batch) {
        for (const key of w.keys) {
          if (!positionOf.has(key)) {
            positionOf.set(key, union.length);
            union.push(key);
          }
        }
      }
      keys = union;
    }
    try {
      sent = round(keys);
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.then(
      (lookup) => {
        settled();
        if (positionOf === undefined) batch[0]!.resolve(lookup);
        else
          for (const w of batch) {
            const values: StoreRead[] = w.keys.map((key) => lookup.values[positionOf.get(key)!]!);
            w.resolve({ values, seq: lookup.seq });
          }
      },
      (error: unknown) => {
        settled();
        for (const w of batch) w.reject(error);
      },
    );
  }

  return (keys) =>
    new Promise<StoreLookup>((resolve, reject) => {
      waiting.push({ keys, resolve, reject });
      schedule();
    });
}

/**
 * The Redis store's sharing of rounds between concurrent requests: at most one
 * round is in flight at a time; every `get` made while a round is out waits
 * for the next one, which is sent once that round has answered and the event
 * loop's current turn has run its I/O callbacks (setImmediate): all the
 * requests whose sockets became readable meanwhile, each with its own
 * per-request batch, are answered by one round for the union of their keys.
 * Under load this is group commit: the more requests arrive during a round
 * trip, the fewer rounds per request (the CPU a round costs, in this process
 * and in Redis, is shared by more of them); at rest it is one round per `get`.
 * Used by the store without the in-process tier (lookups), and by the tier in
 * strict mode (lookup and catch-up) and fast mode (what it does not hold).
 *
 * Why this keeps the store's guarantees: a round is sent after every `get` it
 * answers was called, so an invalidation acknowledged before one of those
 * calls has already been executed by Redis when the round's script runs, and
 * the sequence it returns fences their fills as a round of their own would.
 * A round already sent is never shared with a later `get` (it may have been
 * executed before an invalidation that was acknowledged since).
 *
 * Why the store's read deadline still holds per `get`: a `get` that waits
 * behind a round in flight would otherwise wait for that round and then for
 * its own, up to twice the deadline. Each `get` is failed `deadlineMs` after
 * it was called, whatever its round is doing (one timer per round, not per
 * `get`); the round goes on for the others. A round that fails (or throws)
 * fails its own `get`s and releases the next round: nothing waits forever.
 */
import type { StoreLookup, StoreRead } from '../types.js';

interface Waiter {
  readonly keys: readonly string[];
  /** performance.now() by which this get is failed if its round has not answered. */
  readonly deadline: number;
  settled: boolean;
  resolve(lookup: StoreLookup): void;
  reject(error: unknown): void;
}

export interface TickBatchDeadline {
  /** Milliseconds from a `get`'s call until it fails. */
  readonly ms: number;
  /** The error a `get` past its deadline fails with. */
  expired(ms: number): Error;
}

/**
 * Returns a `get` that gathers concurrent calls into rounds of `round` (keys deduplicated), one round in flight at a
 * time, each call failed `deadline.ms` after it was made if its round has not answered by then.
 */
export function createTickBatch(
  round: (keys: readonly string[]) => Promise<StoreLookup>,
  deadline?: TickBatchDeadline,
): (keys: readonly string[]) => Promise<StoreLookup> {
  let waiting: Waiter[] = [];
  let waitingTimer: Deadlines | undefined;
  let scheduled = false;
  let inFlight = false;

  function schedule(): void {
    if (scheduled || inFlight || waiting.length === 0) return;
    scheduled = true;
    setImmediate(run);
  }

  function run(): void {
    scheduled = false;
    // Gets that ran out their deadline while waiting are not sent.
    const batch = waiting.filter((w) => !w.settled);
    const timer = waitingTimer;
    waiting = [];
    waitingTimer = undefined;
    if (batch.length === 0) return timer?.clear();
    inFlight = true;
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
    let sent: Promise<StoreLookup>;
    try {
      sent = round(keys);
    } catch (error) {
      sent = Promise.reject(error);
    }
    // Released first, so the gets made meanwhile are on their way while this round's callers run.
    const settle = (answer: (w: Waiter) => void) => {
      timer?.clear();
      inFlight = false;
      schedule();
      for (const w of batch) {
        if (w.settled) continue;
        w.settled = true;
        answer(w);
      }
    };
    sent.then(
      (lookup) =>
        settle((w) =>
          w.resolve(positionOf === undefined ? lookup : { values: w.keys.map((key): StoreRead => lookup.values[positionOf.get(key)!]!), seq: lookup.seq }),
        ),
      (error: unknown) => settle((w) => w.reject(error)),
    );
  }

  return (keys) =>
    new Promise<StoreLookup>((resolve, reject) => {
      const waiter: Waiter = { keys, deadline: deadline ? performance.now() + deadline.ms : Number.POSITIVE_INFINITY, settled: false, resolve, reject };
      waiting.push(waiter);
      if (deadline) (waitingTimer ??= createDeadlines(waiting, deadline)).arm();
      schedule();
    });
}

interface Deadlines {
  /** Starts the timer for the batch's earliest unsettled deadline, if not running. */
  arm(): void;
  clear(): void;
}

/**
 * One timer per batch: it fails the batch's gets whose deadline has passed (they were added in call order, so the
 * earliest deadline is the first unsettled one) and re-arms for the next.
 */
function createDeadlines(batch: readonly Waiter[], deadline: TickBatchDeadline): Deadlines {
  let timer: NodeJS.Timeout | undefined;
  let next = 0;
  function fire(): void {
    timer = undefined;
    const now = performance.now();
    while (next < batch.length && (batch[next]!.settled || batch[next]!.deadline <= now)) {
      const w = batch[next++]!;
      if (w.settled) continue;
      w.settled = true;
      w.reject(deadline.expired(deadline.ms));
    }
    arm();
  }
  function arm(): void {
    if (timer !== undefined || next >= batch.length) return;
    timer = setTimeout(fire, Math.max(0, batch[next]!.deadline - performance.now()));
  }
  return {
    arm,
    clear() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      next = batch.length;
    },
  };
}

/**
 * Single flight: N concurrent misses on one key run the resolver once in this
 * process. As in DataLoader, it falls out of caching the *promise*: the first
 * miss stores its promise under the key, later misses await it.
 *
 * Two rules keep it safe:
 * - A flight is joined only by a miss that saw the same store sequence as the
 *   flight's own lookup. A different sequence means an invalidation happened
 *   in between, and the flight may be reading data from before it.
 * - A flight leaves the map when it settles, fulfilled or rejected, so a
 *   failure is shared only with the waiters already there, never with later
 *   requests, and nothing stays in flight.
 */
import type { StoreSeq } from '../stores/types.js';

/** What a flight shares with its joiners. */
export interface FlightResult {
  /** The resolver's value, for the request that ran it. */
  readonly value: unknown;
  /**
   * The encoded value; each joiner decodes its own copy, so no two requests
   * share a mutable object. Undefined when the value could not be encoded
   * (joiners then run the resolver themselves).
   */
  readonly frame: Uint8Array | undefined;
}

interface Flight {
  readonly seq: StoreSeq;
  readonly promise: Promise<FlightResult>;
}

export class SingleFlight {
  readonly #flights = new Map<string, Flight>();

  /** The number of flights in progress. */
  get size(): number {
    return this.#flights.size;
  }

  /** The promise of a flight on `key` that started from the same sequence, if any. */
  join(key: string, seq: StoreSeq): Promise<FlightResult> | undefined {
    const flight = this.#flights.get(key);
    return flight && flight.seq === seq ? flight.promise : undefined;
  }

  /** Starts a flight on `key`; it replaces an older flight on the same key (one from an older sequence). */
  start(key: string, seq: StoreSeq, run: () => Promise<FlightResult>): Promise<FlightResult> {
    const promise = run();
    const flight: Flight = { seq, promise };
    this.#flights.set(key, flight);
    const leave = () => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    };
    promise.then(leave, leave);
    return promise;
  }
}

/**
 * Single flight: N concurrent misses on one key run the resolver once in this
 * process. As in DataLoader, it falls out of caching the *promise*: the first
 * miss stores its promise under the key, later misses await it.
 *
 * Four rules keep it safe:
 * - A flight is joined only by a miss that saw the same store sequence as the
 *   flight's own lookup. A different sequence means an invalidation happened
 *   in between, and the flight may be reading data from before it.
 * - A flight leaves the map when it settles, fulfilled or rejected, so a
 *   failure is shared only with the waiters already there, never with later
 *   requests, and nothing stays in flight.
 * - A flight has a deadline: when it passes, the flight leaves the map (later
 *   misses start their own) and its joiners stop waiting (they run their own
 *   resolver), so one resolver that never settles cannot block its key.
 * - A flight takes a bounded number of joiners; past it, misses run their own
 *   resolver, so one hot key cannot pile up unbounded waiting requests.
 */
import type { StoreSeq } from '../stores/types.js';
import type { FieldReason } from '../metrics/events.js';

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
  /**
   * Why the value was not cached, when it was not (`frame` undefined): joiners
   * report the same bypass, so nothing the first request could not cache
   * becomes cacheable for those who joined it.
   */
  readonly reason?: FieldReason;
  /**
   * Set when the value must not reach the joiners at all, to why: a dynamic hint made it per session (`'private'`)
   * or uncacheable. They resolve it themselves.
   */
  readonly unshared?: 'private' | 'uncacheable';
}

/** What a joiner gets: the flight's result, or `'timeout'` when the flight's deadline passed first. */
export type JoinedResult = FlightResult | 'timeout';

export interface SingleFlightOptions {
  /** Milliseconds after its start at which a flight is abandoned by its joiners; `Infinity` for never. */
  readonly timeoutMs: number;
  /** The most requests that may wait on one flight. */
  readonly maxJoiners: number;
  /**
   * The clock deadlines are measured with, in milliseconds (the cache's `clock`). Default `Date.now`. A clock jump
   * cannot stretch a wait: no joiner waits longer than `timeoutMs` from its own arrival.
   */
  readonly now?: () => number;
}

interface Flight {
  readonly seq: StoreSeq;
  readonly promise: Promise<FlightResult>;
  readonly startedAt: number;
  /**
   * Resolves with `'timeout'` at the deadline. Created, with its timer, by the first joiner: most flights have none,
   * and a flight nobody joins needs no timer (a later miss finds it expired by the clock).
   */
  deadline: Promise<'timeout'> | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  joiners: number;
}

export class SingleFlight {
  readonly #flights = new Map<string, Flight>();
  readonly #timeoutMs: number;
  readonly #maxJoiners: number;
  readonly #now: () => number;

  constructor(options: SingleFlightOptions) {
    this.#timeoutMs = options.timeoutMs;
    this.#maxJoiners = options.maxJoiners;
    this.#now = options.now ?? (() => Date.now());
  }

  /** The number of flights in progress. */
  get size(): number {
    return this.#flights.size;
  }

  /**
   * Joins a flight on `key` that started from the same sequence: its result
   * (or `'timeout'` at its deadline), `'full'` when it has as many joiners as
   * allowed, undefined when there is none to join (the caller starts one).
   */
  join(key: string, seq: StoreSeq): Promise<JoinedResult> | 'full' | undefined {
    const flight = this.#flights.get(key);
    if (!flight || flight.seq !== seq) return undefined;
    if (this.#timeoutMs === Number.POSITIVE_INFINITY) {
      if (flight.joiners >= this.#maxJoiners) return 'full';
      flight.joiners++;
      return flight.promise;
    }
    const remainingMs = Math.min(flight.startedAt + this.#timeoutMs - this.#now(), this.#timeoutMs);
    if (remainingMs <= 0) {
      // Past its deadline: abandoned. The caller starts a new flight, which replaces this one.
      this.#expire(key, flight);
      return undefined;
    }
    if (flight.joiners >= this.#maxJoiners) return 'full';
    flight.joiners++;
    flight.deadline ??= new Promise<'timeout'>((resolve) => {
      flight.timer = setTimeout(() => {
        this.#expire(key, flight);
        resolve('timeout');
      }, remainingMs);
      // A deadline must not keep a process alive that has nothing else to do.
      flight.timer.unref?.();
    });
    return Promise.race([flight.promise, flight.deadline]);
  }

  /** Starts a flight on `key`; it replaces an older flight on the same key (one from an older sequence, or expired). */
  start(key: string, seq: StoreSeq, run: () => Promise<FlightResult>): Promise<FlightResult> {
    const promise = run();
    const flight: Flight = {
      seq,
      promise,
      startedAt: this.#timeoutMs === Number.POSITIVE_INFINITY ? 0 : this.#now(),
      deadline: undefined,
      timer: undefined,
      joiners: 0,
    };
    this.#flights.set(key, flight);
    const leave = () => {
      if (flight.timer !== undefined) clearTimeout(flight.timer);
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    };
    promise.then(leave, leave);
    return promise;
  }

  #expire(key: string, flight: Flight): void {
    if (this.#flights.get(key) === flight) this.#flights.delete(key);
  }
}

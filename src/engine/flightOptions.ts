/**
 * The single flight's bounds as cache options: how long joiners wait for
 * another request's resolver, and how many may wait on one. Validated once, at
 * construction, naming the option.
 */
import { invalidOption } from '../errors.js';
import type { SingleFlightOptions } from './singleFlight.js';

/**
 * Default {@link FlightOptions.flightTimeoutMs}: 10 seconds. Far above a healthy resolver's slowest calls, so a
 * slow but working data source is not hit by every joiner at once just when it struggles; well below the 30-60 s
 * after which clients and gateways give up, so requests behind a resolver that never settles still get an answer.
 */
export const defaultFlightTimeoutMs = 10_000;
/** Default {@link FlightOptions.maxFlightJoiners}: 1,000 requests waiting on one resolver call. */
export const defaultMaxFlightJoiners = 1_000;

export interface FlightOptions {
  /**
   * How long, in milliseconds from its start, concurrent misses wait for another request's resolver call on the
   * same key. Past it, the waiting requests run their own resolver (uncached, reason `flight-timeout`) and later
   * misses start a new call. `Infinity` waits forever. Default {@link defaultFlightTimeoutMs}.
   */
  flightTimeoutMs?: number;
  /**
   * The most requests that wait on one resolver call; further misses on that key run their own resolver
   * (uncached, reason `flight-full`). `Infinity` for no bound. Default {@link defaultMaxFlightJoiners}.
   */
  maxFlightJoiners?: number;
}

/** The validated single-flight bounds of `createCache` options. */
export function flightOptions(options: FlightOptions): SingleFlightOptions {
  const timeoutMs = options.flightTimeoutMs ?? defaultFlightTimeoutMs;
  // setTimeout fires at once above 2^31-1 ms: larger finite values would time every flight out immediately.
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || (Number.isFinite(timeoutMs) ? timeoutMs > 2 ** 31 - 1 : timeoutMs !== Number.POSITIVE_INFINITY)) {
    throw invalidOption('createCache', 'flightTimeoutMs', 'a number of milliseconds > 0 and at most 2147483647, or Infinity', timeoutMs);
  }
  const maxJoiners = options.maxFlightJoiners ?? defaultMaxFlightJoiners;
  if (typeof maxJoiners !== 'number' || !(maxJoiners >= 1) || (!Number.isInteger(maxJoiners) && maxJoiners !== Number.POSITIVE_INFINITY)) {
    throw invalidOption('createCache', 'maxFlightJoiners', 'an integer >= 1, or Infinity', maxJoiners);
  }
  return { timeoutMs, maxJoiners };
}

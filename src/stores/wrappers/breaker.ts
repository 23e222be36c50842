/**
 * A circuit breaker: after `threshold` consecutive failures it opens and
 * refuses calls, so a dead or drowning backend costs the caller nothing;
 * after `cooldownMs` it lets exactly one call through as a probe (half-open),
 * whose outcome closes it again or restarts the cooldown. Used by the
 * `withBreaker` store wrapper and, one per shard, by the Redis store.
 */

/**
 * - `closed`: calls go through.
 * - `open`: calls are refused until the cooldown ends.
 * - `half-open`: one probe call is in flight; others are refused until it settles.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** Permission to make one call; hand it back to `success` or `failure`. */
export interface BreakerTicket {
  readonly probe: boolean;
}

export interface Breaker {
  readonly state: BreakerState;
  /** A ticket when the call may proceed, undefined when the breaker refuses it. */
  allow(): BreakerTicket | undefined;
  /** Records a success; true when it follows failures (the server answers again: time to retry what failed). */
  success(ticket: BreakerTicket): boolean;
  /** Records a failure; true when this failure opened the breaker (the caller may then reset connections). */
  failure(ticket: BreakerTicket): boolean;
}

const rank: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** The worst state of several breakers (open over half-open over closed), for one figure in metrics and tests. */
export function worstState(breakers: Iterable<Breaker>): BreakerState {
  let worst: BreakerState = 'closed';
  for (const b of breakers) if (rank[b.state] > rank[worst]) worst = b.state;
  return worst;
}

export function createBreaker(threshold: number, cooldownMs: number, now: () => number = () => performance.now()): Breaker {
  let failures = 0;
  let openedAt = 0;
  let probing = false;
  const normal: BreakerTicket = { probe: false };
  const probe: BreakerTicket = { probe: true };

  return {
    get state(): BreakerState {
      if (failures < threshold) return 'closed';
      return probing ? 'half-open' : 'open';
    },
    allow() {
      if (failures < threshold) return normal;
      if (probing || now() - openedAt < cooldownMs) return undefined;
      probing = true;
      return probe;
    },
    success(ticket) {
      // Any success, even of a call that started before the breaker opened,
      // shows that the server answers again.
      const recovered = failures > 0;
      failures = 0;
      if (ticket.probe) probing = false;
      return recovered;
    },
    failure(ticket) {
      if (ticket.probe) probing = false;
      failures++;
      if (failures < threshold) return false;
      const opening = failures === threshold || ticket.probe;
      openedAt = now();
      return opening;
    },
  };
}

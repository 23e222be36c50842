/**
 * Fast mode's passive resynchronisation: per shard, the invalidations this
 * process has applied (contiguously) from broadcasts, and the counter Redis
 * showed on replies and polls. A counter ahead of what was applied is a gap
 * (a broadcast lost, or still on its way): entries depending on that shard
 * are not served meanwhile, and a gap still open after `gapMs` flushes the tier.
 */

interface ShardState {
  epoch: string;
  /** Every invalidation up to this counter was applied locally. */
  applied: number;
  /** Counters applied out of order, above `applied`. */
  readonly seen: Set<number>;
  /** The highest counter Redis showed. */
  target: number;
  /** performance.now() by which the gap must close; undefined when none is open. */
  deadline: number | undefined;
}

export interface SequenceGaps {
  /** A broadcast invalidation raised `shard` to `n` in `epoch`. */
  applied(shard: number, epoch: string, n: number): void;
  /** A reply or poll showed `shard` at `n` in `epoch`. */
  observed(shard: number, epoch: string, n: number): void;
  /** True while a shard has an open gap or an unknown position. */
  isOpen(shard: number): boolean;
  /** Closes gaps past their deadline; returns true when one was (the caller flushes). */
  expire(now: number): boolean;
  /**
   * This process's own invalidations under way on `shard` (+1 when sent, -1 when settled): a counter ahead by no
   * more than them is not a gap (their tags were dropped here already), so they do not stall every read.
   */
  inFlight(shard: number, delta: number): void;
  /** Forgets every position (after a flush for a lost subscriber). */
  reset(): void;
}

export function createSequenceGaps(shardCount: number, gapMs: number, flush: () => void): SequenceGaps {
  let states: (ShardState | undefined)[] = new Array(shardCount).fill(undefined);
  const own: number[] = new Array(shardCount).fill(0);
  const behind = (shard: number, s: ShardState): boolean => s.applied + own[shard]! < s.target;

  function start(shard: number, epoch: string, n: number): void {
    states[shard] = { epoch, applied: n, seen: new Set(), target: n, deadline: undefined };
  }

  function advance(s: ShardState): void {
    while (s.seen.delete(s.applied + 1)) s.applied++;
    if (s.applied >= s.target) s.deadline = undefined;
  }

  return {
    applied(shard, epoch, n) {
      const s = states[shard];
      if (s === undefined) return;
      if (s.epoch !== epoch) {
        // Redis lost the shard's counter: nothing recorded in the old epoch holds.
        flush();
        start(shard, epoch, n);
        return;
      }
      if (n <= s.applied) return;
      s.seen.add(n);
      if (n > s.target) s.target = n;
      advance(s);
      if (s.applied < s.target) s.deadline ??= performance.now() + gapMs;
    },
    observed(shard, epoch, n) {
      const s = states[shard];
      if (s === undefined) return start(shard, epoch, n);
      if (s.epoch !== epoch) {
        flush();
        start(shard, epoch, n);
        return;
      }
      if (n <= s.target) return;
      s.target = n;
      s.deadline ??= performance.now() + gapMs;
    },
    isOpen(shard) {
      const s = states[shard];
      return s === undefined || behind(shard, s);
    },
    inFlight(shard, delta) {
      own[shard] = Math.max(0, own[shard]! + delta);
    },
    expire(now) {
      let expired = false;
      for (const [shard, s] of states.entries()) {
        if (s?.deadline === undefined || s.deadline > now) continue;
        // Ahead only by this process's own invalidations under way: wait for them (they apply when acknowledged).
        if (!behind(shard, s)) continue;
        expired = true;
        s.applied = Math.max(s.target, ...s.seen);
        s.target = s.applied;
        s.seen.clear();
        s.deadline = undefined;
      }
      if (expired) flush();
      return expired;
    },
    reset() {
      states = new Array(shardCount).fill(undefined);
    },
  };
}

/**
 * Invalidations Redis has not acknowledged. They are never dropped: the store
 * honours them locally (entries and fills carrying a pending tag are treated
 * as stale) and a background loop redelivers them, with backoff, until Redis
 * takes them.
 *
 * Each failure is stamped with a generation. A delivery that started at
 * generation g and succeeded covers every failure stamped up to g: their
 * mutations were written before it ran. A failure recorded while it was in
 * flight stays pending for the next attempt.
 */

const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 5000;

export interface PendingInvalidations {
  /** Tags pending. */
  readonly size: number;
  has(tag: string): boolean;
  /** The pending tags, oldest failure first. */
  tags(): string[];
  /** The current generation, to hand to `settle` after a delivery that started now. */
  generation(): number;
  /** Records tags Redis did not acknowledge and schedules a retry. */
  add(tags: readonly string[]): void;
  /** Forgets tags delivered by an attempt that started at generation `since`. */
  settle(tags: readonly string[], since: number): void;
  /** One delivery attempt of everything pending; true when nothing is left. */
  flush(): Promise<boolean>;
  /** Retries now (Redis answers again), instead of waiting out the backoff grown while it did not. */
  kick(): void;
  /** Stops the retry loop. */
  stop(): void;
}

/**
 * @param deliver invalidates the tags in Redis; resolves to the tags Redis
 *   acknowledged (all, some or none), and never rejects.
 */
export function createPendingInvalidations(deliver: (tags: readonly string[]) => Promise<readonly string[]>): PendingInvalidations {
  const pending = new Map<string, number>();
  let generation = 0;
  let timer: NodeJS.Timeout | undefined;
  let delayMs = RETRY_MIN_MS;
  let stopped = false;
  let retrying = false;

  function settle(tags: readonly string[], since: number): void {
    for (const tag of tags) {
      const stamped = pending.get(tag);
      if (stamped !== undefined && stamped <= since) pending.delete(tag);
    }
  }

  async function flush(): Promise<boolean> {
    const tags = [...pending.keys()];
    if (tags.length === 0) return true;
    const since = generation;
    settle(await deliver(tags), since);
    return pending.size === 0;
  }

  function schedule(): void {
    if (timer !== undefined || stopped || pending.size === 0) return;
    timer = setTimeout(async () => {
      retrying = true;
      const delivered = await flush();
      retrying = false;
      timer = undefined;
      delayMs = delivered ? RETRY_MIN_MS : Math.min(delayMs * 2, RETRY_MAX_MS);
      schedule();
    }, delayMs);
    // Pending work must not keep a finished process alive; close() makes a last attempt and reports what is left.
    timer.unref();
  }

  return {
    get size() {
      return pending.size;
    },
    has: (tag) => pending.has(tag),
    tags: () => [...pending.keys()],
    generation: () => generation,
    add(tags) {
      if (tags.length === 0) return;
      generation++;
      for (const tag of tags) pending.set(tag, generation);
      schedule();
    },
    settle,
    flush,
    kick() {
      delayMs = RETRY_MIN_MS;
      // A retry in flight reschedules itself when it settles.
      if (timer === undefined || retrying || stopped) return;
      clearTimeout(timer);
      timer = undefined;
      schedule();
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}

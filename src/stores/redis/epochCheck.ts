/**
 * The check every new connection passes before the store uses it: Redis may
 * have restarted from an older snapshot (or a replica taken over), losing
 * acknowledged invalidations, and only the server can tell (its run id, see
 * checkEpochScript). Until the check succeeded the store treats itself as
 * not connected; a failed check is retried while the connection is ready.
 */

const RETRY_MS = 50;

export interface EpochCheck {
  /** True when every connection that became ready so far has been checked. */
  readonly done: boolean;
  /** A connection became ready: check again before trusting it. */
  reconnected(): void;
  stop(): void;
}

/**
 * @param check runs the check on every shard; rejects on failure.
 * @param isReady true while the store's client is connected.
 */
export function createEpochCheck(check: () => Promise<void>, isReady: () => boolean): EpochCheck {
  // A generation per ready event: a check that started before the latest one proves nothing about it.
  let wanted = 0;
  let checked = 0;
  let running = false;
  let stopped = false;

  async function loop(): Promise<void> {
    running = true;
    while (!stopped && checked !== wanted) {
      const generation = wanted;
      if (isReady()) {
        try {
          await check();
          checked = generation;
          continue;
        } catch {
          // Retried below while connected; the store bypasses meanwhile.
        }
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref());
    }
    running = false;
  }

  return {
    get done() {
      return checked === wanted;
    },
    reconnected() {
      wanted++;
      if (!running) void loop();
    },
    stop() {
      stopped = true;
    },
  };
}

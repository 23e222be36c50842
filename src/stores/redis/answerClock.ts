/**
 * When Redis last answered a call, even one that had overrun its deadline: a slow Redis still answers, a wedged
 * connection does not. The store drops its connection when a breaker opens only if it has been silent a whole cooldown.
 */
export interface AnswerClock {
  /** Returns the call, noting the time it settles successfully. */
  track<T>(call: Promise<T>): Promise<T>;
  /** Milliseconds since the last successful answer (or since the clock was made). */
  silentForMs(): number;
}

export function createAnswerClock(now: () => number = () => performance.now()): AnswerClock {
  let lastAnswerAt = now();
  return {
    track(call) {
      call.then(
        () => (lastAnswerAt = now()),
        () => {},
      );
      return call;
    },
    silentForMs: () => now() - lastAnswerAt,
  };
}

/**
 * The cache's one failure channel: every component reports store and codec failures and misuse warnings here, so
 * the `strict` policy, the logger and the error counters of `stats()` are applied in one place.
 */
import { CacheTagError } from '../errors.js';
import type { CacheStats } from '../metrics/events.js';

/** Where warnings go. */
export interface Logger {
  warn(message: string): void;
}

export interface Failures {
  /** True when store and codec failures are rethrown instead of served as misses (tests). */
  readonly strict: boolean;
  /** Logs `message` once per distinct `id`, so a problem repeated on every request is reported once. */
  warnOnce(id: string, message: string): void;
  /**
   * A store or codec failure while doing `what`: rethrown when strict; otherwise counted under its code in
   * `stats().errors` and warned about once per code, and the caller serves uncached.
   */
  failed(error: unknown, what: string): void;
  /**
   * A failure a store absorbed while doing `what` (`StoreHost.report`): counted under its code in `stats().errors`
   * and warned about once per `what` and code. Never throws: no caller is waiting on it.
   */
  absorbed(error: unknown, what: string): void;
}

/** Creates the failure channel of one cache. */
export function createFailures(options: { readonly strict: boolean; readonly logger: Logger; readonly stats: CacheStats }): Failures {
  const { strict, logger, stats } = options;
  const warned = new Set<string>();
  function warnOnce(id: string, message: string): void {
    if (warned.has(id)) return;
    warned.add(id);
    logger.warn(`[cachetag] ${message}`);
  }
  function count(error: unknown): string {
    const code = error instanceof CacheTagError ? error.code : 'STORE_UNAVAILABLE';
    stats.errors[code] = (stats.errors[code] ?? 0) + 1;
    return code;
  }
  const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error)).replace(/\.+$/, '');
  return {
    strict,
    warnOnce,
    absorbed(error, what) {
      const code = count(error);
      warnOnce(
        `store:${what}:${code}`,
        `${what} failed (${code}): ${messageOf(error)}. Further ${code} failures of this kind are counted in stats().errors, not logged.`,
      );
    },
    failed(error, what) {
      if (strict) throw error;
      const code = count(error);
      warnOnce(
        `store:${what}:${code}`,
        `${what} failed (${code}): ${messageOf(error)}. Serving uncached; further ${code} failures of this kind are counted in stats().errors, not logged.`,
      );
    },
  };
}

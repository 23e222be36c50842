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
  return {
    strict,
    warnOnce,
    failed(error, what) {
      if (strict) throw error;
      const code = error instanceof CacheTagError ? error.code : 'STORE_UNAVAILABLE';
      stats.errors[code] = (stats.errors[code] ?? 0) + 1;
      warnOnce(
        `store:${what}:${code}`,
        `${what} failed (${code}): ${(error instanceof Error ? error.message : String(error)).replace(/\.+$/, '')}. Serving uncached; further ${code} failures of this kind are counted in stats().errors, not logged.`,
      );
    },
  };
}

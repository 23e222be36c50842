/**
 * One `Cache-Control` header for several operations. A batched HTTP request gets one header for all its operations,
 * so each operation narrows what the previous ones wrote, exactly as Apollo Server's cache-control plugin does: the
 * smallest max-age, `private` if any operation is private, `no-store` if any is uncacheable or failed.
 */
import type { CacheScope } from '../directives/validate.js';
import { cacheControlValue } from '../engine/policy.js';

const CACHEABLE = /^max-age=(\d+), (public|private)$/;

/**
 * The header value after one more operation with `policy` (undefined: uncacheable, or it failed) is added to what
 * `existing` says. `existing` is kept as it is when it is neither `no-store` nor of the `max-age=N, public|private`
 * form (something else wrote it on purpose), as Apollo keeps it.
 */
export function narrowCacheControl(existing: string | undefined, policy: { readonly maxAge: number; readonly scope?: CacheScope } | undefined): string {
  if (existing === undefined || existing === '') return policy && policy.maxAge > 0 ? cacheControlValue(policy) : 'no-store';
  if (existing === 'no-store') return existing;
  const match = CACHEABLE.exec(existing);
  if (!match) return existing;
  const maxAge = policy ? Math.min(Number(match[1]), policy.maxAge) : 0;
  // A max-age of 0 is not cacheable: Apollo writes no-store for it.
  if (!(maxAge > 0)) return 'no-store';
  return cacheControlValue({ maxAge, scope: match[2] === 'private' || policy?.scope === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC' });
}

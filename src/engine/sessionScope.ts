/**
 * The scope of a request's PRIVATE entries, from what the `sessionId` option returned. Only strings and finite
 * numbers identify a session: anything else (a user object would render as `[object Object]`) would put every user
 * in one scope, so it is refused loudly instead.
 */
import { CacheTagError } from '../errors.js';

/** `PRIVATE:<session>`, or undefined when the request has no session (`undefined`, `null` or `''`). */
export function sessionScopeOf(session: unknown): string | undefined {
  if (session === undefined || session === null || session === '') return undefined;
  if (typeof session === 'string' || (typeof session === 'number' && Number.isFinite(session))) return `PRIVATE:${session}`;
  throw new CacheTagError(
    'INVALID_SESSION_ID',
    `createCache({ sessionId }): the sessionId function must return a string, a finite number, null or undefined; it returned ${describe(session)}. Return the user's id (sessionId: (ctx) => ctx.user?.id), not the user.`,
  );
}

function describe(value: unknown): string {
  if (typeof value === 'number') return `the number ${value}`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object${value && value.constructor && value.constructor !== Object ? ` (${value.constructor.name})` : ''}`;
  return `a ${typeof value}`;
}

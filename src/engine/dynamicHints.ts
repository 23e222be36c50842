/**
 * Dynamic cache hints as Apollo's cache-control plugin exposes them: before each field resolves it sets
 * `info.cacheControl`, whose `cacheHint` is that field's policy (its static hint), narrowed by the resolver with
 * `setCacheHint(...)` or `cacheHint.restrict(...)`. Read after a cached resolver ran, it says whether its result may
 * be shared. Where nobody reads hints (`cacheControl: 'cachetag'`), resolvers get an `info.cacheControl` that
 * refuses them, so a hint is an error instead of a silent shared entry.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { CacheTagError } from '../errors.js';

/** How a dynamic hint narrowed a field's policy. */
export interface HintNarrowing {
  /**
   * - `'private'`: the result is per session (scope PRIVATE) while its key was shared.
   * - `'uncacheable'`: maxAge 0.
   * - undefined: still cacheable as planned (perhaps for less time: {@link maxAgeMs}).
   */
  readonly narrowed: 'private' | 'uncacheable' | undefined;
  /** A maxAge the hints set, in milliseconds. */
  readonly maxAgeMs?: number;
}

interface ApolloCacheControl {
  readonly cacheHint?: { readonly maxAge?: number; readonly scope?: string };
}

const NOT_NARROWED: HintNarrowing = { narrowed: undefined };

/** What the field's policy says now, after its resolver ran; `shared` tells whether its key is the PUBLIC one. */
export function readHintNarrowing(info: GraphQLResolveInfo, shared: boolean): HintNarrowing {
  const control = (info as { cacheControl?: ApolloCacheControl }).cacheControl;
  if (!control || refusing.has(control)) return NOT_NARROWED;
  const hint = control.cacheHint;
  if (!hint) return NOT_NARROWED;
  const { maxAge, scope } = hint;
  if (maxAge === 0) return { narrowed: 'uncacheable' };
  if (shared && scope === 'PRIVATE') return { narrowed: 'private' };
  return typeof maxAge === 'number' && maxAge > 0 ? { narrowed: undefined, maxAgeMs: maxAge * 1000 } : NOT_NARROWED;
}

// One refusal per field plan (weak: plans go with their schema).
const refusals = new WeakMap<{ readonly coordinate: string }, object>();
const refusing = new WeakSet<object>();

/** Gives the resolver of `field` an `info.cacheControl` whose every use throws a `DYNAMIC_HINT_UNSUPPORTED` error. */
export function refuseDynamicHints(info: GraphQLResolveInfo, field: { readonly coordinate: string }): void {
  let refusal = refusals.get(field);
  if (!refusal) {
    const fail = (): never => {
      throw new CacheTagError(
        'DYNAMIC_HINT_UNSUPPORTED',
        `${field.coordinate}: the resolver used info.cacheControl to give a dynamic cache hint, but with createApolloPlugin(cache, { cacheControl: 'cachetag' }) dynamic hints are not seen, so the result could be shared with every user. Declare the policy with @cacheControl in the schema, or use cacheControl: 'apollo'.`,
      );
    };
    refusal = Object.freeze({
      setCacheHint: fail,
      get cacheHint(): never {
        return fail();
      },
      cacheHintFromType: fail,
    });
    refusals.set(field, refusal);
    refusing.add(refusal);
  }
  (info as { cacheControl?: object }).cacheControl = refusal;
}

/**
 * The `info.cacheControl` one entity's reference resolver sees, where Apollo's cache-control plugin runs. Apollo
 * gives `_entities` one policy for the whole list (maxAge 0 by default: a root field returning a union without a
 * hint), which says nothing about one entity; each entity gets its own, starting from its type's `@cacheControl`, so
 * a dynamic hint its resolver gives (`setCacheHint({ maxAge: 0 })`, `scope: PRIVATE`) narrows that entity's entry.
 * Every hint is also passed on, as a restriction, to the `_entities` policy, so the response's policy narrows as
 * before.
 */

/** The part of Apollo's `CachePolicy` a resolver uses. */
interface CacheHintLike {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';
}

interface ApolloCacheControl {
  readonly cacheHint?: { restrict?(hint: CacheHintLike): void };
  cacheHintFromType?(type: unknown): CacheHintLike | undefined;
}

/** A per-entity cache control over the `_entities` field's one, or undefined when there is none (Apollo's plugin off). */
export function entityCacheControl(outer: unknown, typeHint: CacheHintLike): object | undefined {
  if (outer === null || typeof outer !== 'object') return undefined;
  const field = outer as ApolloCacheControl;
  const policy = {
    maxAge: typeHint.maxAge,
    scope: typeHint.scope,
    restrict(hint: CacheHintLike): void {
      if (hint.maxAge !== undefined && (policy.maxAge === undefined || hint.maxAge < policy.maxAge)) policy.maxAge = hint.maxAge;
      if (hint.scope === 'PRIVATE') policy.scope = 'PRIVATE';
      field.cacheHint?.restrict?.(hint);
    },
    replace(hint: CacheHintLike): void {
      if (hint.maxAge !== undefined) policy.maxAge = hint.maxAge;
      if (hint.scope !== undefined) policy.scope = hint.scope;
      // The list's policy may only narrow: one entity cannot lengthen what the others allow.
      field.cacheHint?.restrict?.(hint);
    },
    policyIfCacheable(): { maxAge: number; scope: 'PUBLIC' | 'PRIVATE' } | null {
      return policy.maxAge !== undefined && policy.maxAge > 0 ? { maxAge: policy.maxAge, scope: policy.scope ?? 'PUBLIC' } : null;
    },
  };
  return {
    cacheHint: policy,
    setCacheHint: (hint: CacheHintLike) => policy.replace(hint),
    cacheHintFromType: (type: unknown) => field.cacheHintFromType?.(type),
  };
}

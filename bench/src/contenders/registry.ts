/** Every contender the driver can start, with what the report needs to know about it. */

/** How a contender keeps cached data fresh after a mutation. */
export type InvalidationKind =
  /** No cache, nothing to invalidate: always fresh. */
  | 'no-cache'
  /** Cached until the TTL runs out; mutations change nothing. */
  | 'ttl-only'
  /** Responses holding an entity (typename + id) returned by a mutation are dropped. */
  | 'entity-ids'
  /** Entries carry references chosen by the policy; mutations invalidate references. */
  | 'policy-references'
  /** Entries carry tags; mutations raise tag versions (declared by `@invalidates` and derived from returned entities). */
  | 'tags';

/**
 * What a contender promises a client that reads right after its mutation was acknowledged.
 * - `guaranteed`: the read shows the write (no cache; or invalidation completes before the mutation answers and late fills are fenced off).
 * - `best-effort`: it invalidates, but nothing orders the invalidation against the answer or against fills already under way, so a race can serve old data.
 * - `none`: cached data is served until its TTL runs out.
 */
export type ReadYourWrites = 'guaranteed' | 'best-effort' | 'none';

export interface ContenderSpec {
  readonly id: string;
  /** Entry point, relative to src/contenders/. */
  readonly entry: string;
  readonly library: string;
  readonly usesRedis: boolean;
  readonly invalidation: InvalidationKind;
  readonly readYourWrites: ReadYourWrites;
  /** Why `readYourWrites` is what it is, for the report. */
  readonly freshnessNote: string;
  /** Whether the contender needs cachetag's build in ../dist. */
  readonly needsCachetagBuild: boolean;
  /** Runs only when named in `--only` (variants that measure one part of a library, not a configuration users pick). */
  readonly optional?: boolean;
}

export const baselineContender = 'apollo-nocache';

export const contenders: readonly ContenderSpec[] = [
  {
    id: 'apollo-nocache',
    entry: 'apollo-nocache.ts',
    library: '@apollo/server',
    usesRedis: false,
    invalidation: 'no-cache',
    readYourWrites: 'guaranteed',
    freshnessNote: 'no cache',
    needsCachetagBuild: false,
  },
  {
    id: 'apollo-response-cache',
    entry: 'apollo-response-cache.ts',
    library: '@apollo/server-plugin-response-cache',
    usesRedis: false,
    invalidation: 'ttl-only',
    readYourWrites: 'none',
    freshnessNote: 'no invalidation: responses are served until their maxAge runs out',
    needsCachetagBuild: false,
  },
  {
    id: 'apollo-response-cache-standalone',
    entry: 'apollo-response-cache-standalone.ts',
    library: '@apollo/server-plugin-response-cache',
    usesRedis: false,
    invalidation: 'ttl-only',
    readYourWrites: 'none',
    freshnessNote: "as apollo-response-cache, served by Apollo's own startStandaloneServer (the same-server peer of cachetag-standalone)",
    needsCachetagBuild: false,
    optional: true,
  },
  {
    id: 'apollo-response-cache-express',
    entry: 'apollo-response-cache-express.ts',
    library: '@apollo/server-plugin-response-cache',
    usesRedis: false,
    invalidation: 'ttl-only',
    readYourWrites: 'none',
    freshnessNote: 'as apollo-response-cache, served through Express 5 (the same-framework peer of cachetag-express)',
    needsCachetagBuild: false,
    optional: true,
  },
  {
    id: 'yoga-nocache',
    entry: 'yoga-nocache.ts',
    library: 'graphql-yoga',
    usesRedis: false,
    invalidation: 'no-cache',
    readYourWrites: 'guaranteed',
    freshnessNote: "GraphQL Yoga without a cache: Yoga's own cost per request, beside Apollo's (the baseline of cachetag-yoga's framework)",
    needsCachetagBuild: false,
    optional: true,
  },
  {
    id: 'yoga-envelop-memory',
    entry: 'yoga-envelop-memory.ts',
    library: '@graphql-yoga/plugin-response-cache',
    usesRedis: false,
    invalidation: 'entity-ids',
    readYourWrites: 'best-effort',
    freshnessNote: 'invalidation is synchronous in memory, but a query that began before the mutation can still store its old response afterwards',
    needsCachetagBuild: false,
  },
  {
    id: 'yoga-envelop-redis',
    entry: 'yoga-envelop-redis.ts',
    library: '@envelop/response-cache-redis',
    usesRedis: true,
    invalidation: 'entity-ids',
    readYourWrites: 'best-effort',
    freshnessNote:
      '@envelop/response-cache does not await `cache.invalidate()` before the mutation answers (plugin.js, invalidateCache), so a read right after can beat the Redis round trips',
    needsCachetagBuild: false,
  },
  {
    id: 'mercurius-memory',
    entry: 'mercurius-memory.ts',
    library: 'mercurius-cache',
    usesRedis: false,
    invalidation: 'policy-references',
    readYourWrites: 'best-effort',
    freshnessNote: 'invalidation is awaited, but a resolver that began before the mutation can still store its old result afterwards',
    needsCachetagBuild: false,
  },
  {
    id: 'mercurius-redis',
    entry: 'mercurius-redis.ts',
    library: 'mercurius-cache',
    usesRedis: true,
    invalidation: 'policy-references',
    readYourWrites: 'best-effort',
    freshnessNote:
      'as in memory, plus async-cache-dedupe writes a value and its references in separate round trips, so an invalidation in between misses the entry',
    needsCachetagBuild: false,
  },
  {
    id: 'cachetag-memory',
    entry: 'cachetag-memory.ts',
    library: 'cachetag',
    usesRedis: false,
    invalidation: 'tags',
    readYourWrites: 'guaranteed',
    freshnessNote: 'claims: invalidation acknowledged before the mutation answers; fills fenced by the fetch sequence',
    needsCachetagBuild: true,
  },
  {
    id: 'cachetag-redis',
    entry: 'cachetag-redis.ts',
    library: 'cachetag',
    usesRedis: true,
    invalidation: 'tags',
    readYourWrites: 'guaranteed',
    freshnessNote: 'claims: invalidation acknowledged before the mutation answers; fills fenced by the fetch sequence (one Lua script per step)',
    needsCachetagBuild: true,
  },
  // cachetag through each drop-in users deploy it with, library defaults.
  {
    id: 'cachetag-standalone',
    entry: 'cachetag-standalone.ts',
    library: 'cachetag',
    usesRedis: false,
    invalidation: 'tags',
    readYourWrites: 'guaranteed',
    freshnessNote: "as cachetag-memory; cachetag's startStandaloneServer (fast path before Apollo)",
    needsCachetagBuild: true,
  },
  {
    id: 'cachetag-express',
    entry: 'cachetag-express.ts',
    library: 'cachetag',
    usesRedis: false,
    invalidation: 'tags',
    readYourWrites: 'guaranteed',
    freshnessNote: 'as cachetag-memory; Express 5: cacheTagMiddleware mounted on the app before the body parser',
    needsCachetagBuild: true,
  },
  {
    id: 'cachetag-express-after-parser',
    entry: 'cachetag-express-after-parser.ts',
    library: 'cachetag',
    usesRedis: false,
    invalidation: 'tags',
    readYourWrites: 'guaranteed',
    freshnessNote: 'as cachetag-express, with cacheTagMiddleware placed after express.json() on the /graphql route',
    needsCachetagBuild: true,
    optional: true,
  },
  {
    id: 'cachetag-fastify',
    entry: 'cachetag-fastify.ts',
    library: 'cachetag',
    usesRedis: false,
    invalidation: 'tags',
    readYourWrites: 'guaranteed',
    freshnessNote: 'as cachetag-memory; Fastify 5: cacheTagHook (preHandler) before @as-integrations/fastify',
    needsCachetagBuild: true,
  },
  {
    id: 'cachetag-yoga',
    entry: 'cachetag-yoga.ts',
    library: 'cachetag',
    usesRedis: false,
    invalidation: 'tags',
    readYourWrites: 'guaranteed',
    freshnessNote: 'as cachetag-memory; GraphQL Yoga 5 with useCacheTag',
    needsCachetagBuild: true,
  },
  {
    id: 'cachetag-plugin-only',
    entry: 'cachetag-plugin-only.ts',
    library: 'cachetag',
    usesRedis: false,
    invalidation: 'tags',
    readYourWrites: 'guaranteed',
    freshnessNote: "as cachetag-memory; the plugin alone, default options (no fast path), on the same bare node:http handler as apollo-response-cache",
    needsCachetagBuild: true,
  },
  {
    id: 'cachetag-redis-local-strict',
    entry: 'cachetag-redis-local-strict.ts',
    library: 'cachetag',
    usesRedis: true,
    invalidation: 'tags',
    readYourWrites: 'guaranteed',
    freshnessNote: 'claims: as cachetag-redis; values held in process are served after one sequence check per lookup (no value bytes)',
    needsCachetagBuild: true,
  },
  {
    id: 'cachetag-redis-local-fast',
    entry: 'cachetag-redis-local-fast.ts',
    library: 'cachetag',
    usesRedis: true,
    invalidation: 'tags',
    readYourWrites: 'best-effort',
    freshnessNote: 'claims: values held in process served with no round trip; other instances learn invalidations by pub/sub (bounded staleness)',
    needsCachetagBuild: true,
  },
  // The tiers of cachetag-memory measured apart (run with --only): field-level caching alone, and both tiers through
  // Apollo's request pipeline without the HTTP fast path.
  {
    id: 'cachetag-memory-fields',
    entry: 'cachetag-memory-fields.ts',
    library: 'cachetag',
    usesRedis: false,
    invalidation: 'tags',
    readYourWrites: 'guaranteed',
    freshnessNote: 'as cachetag-memory; field tier only (operationCache: false, no fast path)',
    needsCachetagBuild: true,
    optional: true,
  },
  {
    id: 'cachetag-memory-apollo',
    entry: 'cachetag-memory-apollo.ts',
    library: 'cachetag',
    usesRedis: false,
    invalidation: 'tags',
    readYourWrites: 'guaranteed',
    freshnessNote: 'as cachetag-memory; both tiers, every request through Apollo (no fast path)',
    needsCachetagBuild: true,
    optional: true,
  },
  // The standalone drop-in with the policy computed by cachetag instead of Apollo's per-field cache-control hook:
  // what that default costs the drop-ins (run with --only).
  {
    id: 'cachetag-standalone-cc',
    entry: 'cachetag-standalone-cc.ts',
    library: 'cachetag',
    usesRedis: false,
    invalidation: 'tags',
    readYourWrites: 'guaranteed',
    freshnessNote: "as cachetag-standalone; cacheControl: 'cachetag' and Apollo's cache-control plugin disabled (no dynamic hints)",
    needsCachetagBuild: true,
    optional: true,
  },
];

/**
 * Above this share of stale checks a contender's invalidation is taken to be
 * switched off or misconfigured, not merely racing: a cache without
 * invalidation serves most checks stale, a racing one a few percent.
 */
export const misconfiguredStaleShare = 0.25;

export function findContender(id: string): ContenderSpec | undefined {
  return contenders.find((spec) => spec.id === id);
}

/**
 * cachetag's contenders: Apollo Server (through the same node:http adapter
 * as the Apollo peers) with cachetag's Apollo plugin, on a memory or a
 * Redis store. Loaded only after {@link useOneGraphql} has run (see
 * oneGraphql.ts): this module imports the library statically.
 */
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { createApolloPlugin } from 'cachetag/apollo';
import { cacheDirectivesTypeDefs, createCache, createMemoryStore, type Store } from 'cachetag';
import { print, type DocumentNode } from 'graphql';
import { createGuardedRedis, redisNamespaceFromEnv } from '../../lib/redisTarget.js';
import { cacheControlTypeDefs, typeDefs, type BenchContext } from '../../schema.js';
import { serveApollo } from './apollo.js';
import { meterRedisCommands, type ContenderRuntime } from './serve.js';

/** `redis-strict` / `redis-fast`: the Redis store with its in-process tier (`local`) in that mode. */
export type CachetagStoreKind = 'memory' | 'redis' | 'redis-strict' | 'redis-fast';

/** Which tiers serve: both with the HTTP fast path (the default), both through Apollo only, or fields only. */
export type CachetagTiers = 'fast-path' | 'apollo' | 'fields';

export async function serveCachetag(runtime: ContenderRuntime, storeKind: CachetagStoreKind, tiers: CachetagTiers = 'fast-path'): Promise<void> {
  let closeStore: () => Promise<void> = async () => {};
  let store: Store;
  if (storeKind === 'memory') {
    store = createMemoryStore();
  } else {
    // Imported here so the memory contender never loads the Redis entry point.
    const { createRedisStore } = await import('cachetag/redis');
    meterRedisCommands();
    // A template: the store opens (and closes) its own connections with client.duplicate().
    const template = createGuardedRedis({ lazyConnect: true });
    const local = storeKind === 'redis-strict' ? { mode: 'strict' as const } : storeKind === 'redis-fast' ? { mode: 'fast' as const } : undefined;
    const redisStore = createRedisStore({ client: template, prefix: redisNamespaceFromEnv(runtime.name), ...(local ? { local } : {}) });
    // As the library recommends: until connected, every call bypasses the cache; the driver starts measuring once /stats answers.
    if (!(await redisStore.whenConnected(10_000))) throw new Error(`${runtime.name}: the Redis store did not connect within 10 s`);
    store = redisStore;
    closeStore = async () => {
      template.disconnect();
    };
  }
  const cache = createCache({ store });
  // The in-process tier's own figures beside the cache's (hits served from process memory, flushes), when there is one.
  const localTier = () => (store as { localTier?: object }).localTier;
  runtime.reportLibraryStats(() => ({ ...cache.stats(), ...(localTier() ? { localTier: { ...localTier() } } : {}) }));

  await serveApollo(runtime, {
    typeDefs: [cacheDirectivesTypeDefs, ...(declaresCacheControl(cacheDirectivesTypeDefs) ? [] : [cacheControlTypeDefs]), typeDefs],
    // As the README recommends for speed: cachetag computes the cache policy once per document, so Apollo's
    // cache-control plugin, which calls a hook on every field resolution, is turned off.
    plugins: [
      createApolloPlugin<BenchContext>(cache, { cacheControl: 'cachetag', operationCache: tiers !== 'fields' }),
      ApolloServerPluginCacheControlDisabled(),
    ],
    ...(tiers === 'fast-path'
      ? {
          fastPath: (body: unknown, context: BenchContext) =>
            cache.storedResponse(body as { query?: unknown; variables?: unknown; operationName?: unknown }, context),
        }
      : {}),
    close: async () => {
      await store.close();
      await closeStore();
    },
  });
}

/** Whether cachetag's directive SDL already declares `@cacheControl` (declaring it twice fails the schema build). */
function declaresCacheControl(sdl: string | DocumentNode): boolean {
  return /directive\s+@cacheControl\b/.test(typeof sdl === 'string' ? sdl : print(sdl));
}

/**
 * Apollo Server's Automatic Persisted Query registry as the fast path sees it: the very cache Apollo looks hashes up
 * in and registers them into, so the fast path answers a hash-only query exactly when Apollo would, and registers
 * what Apollo would have registered. Read from the server's internals (Apollo exposes no accessor); when they are not
 * where expected, or persisted queries are off, there is none and persisted queries go to Apollo.
 */
import type { ApolloServer, BaseContext } from '@apollo/server';
import type { PersistedQueryRegistry } from '../adapter/adapter.js';

interface ApolloPersistedQueries {
  readonly cache: { get(key: string): Promise<string | undefined>; set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> };
  readonly ttl?: number | null;
}

/** The persisted-query registry of an Apollo Server, or undefined when it has none (`persistedQueries: false`). */
export function apolloPersistedQueries<TContext extends BaseContext>(server: ApolloServer<TContext>): PersistedQueryRegistry | undefined {
  const internals = (server as unknown as { internals?: { persistedQueries?: ApolloPersistedQueries } }).internals;
  const persisted = internals?.persistedQueries;
  if (!persisted || typeof persisted.cache?.get !== 'function' || typeof persisted.cache.set !== 'function') return undefined;
  return {
    get: (sha256Hash) => persisted.cache.get(sha256Hash),
    // As Apollo registers it: with the server's ttl when it has one.
    set: (sha256Hash, query) => persisted.cache.set(sha256Hash, query, persisted.ttl !== undefined ? { ttl: persisted.ttl } : undefined),
  };
}

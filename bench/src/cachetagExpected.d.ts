/**
 * The cachetag API the benchmark is written against, as promised while the
 * library is being built. TypeScript only falls back to these ambient
 * declarations while `cachetag` (linked to the repository root) has no built
 * declarations in ../dist; once `npm run build` has run in the root, the
 * library's own generated declarations win and `npm run typecheck` checks the
 * cachetag contenders against the real thing. Delete this file then.
 */
declare module 'cachetag' {
  import type { DocumentNode } from 'graphql';

  export type StoreMiss = 'absent' | 'stale';
  export type StoreRead = Uint8Array | StoreMiss;
  export type StoreSeq = number | string;
  export interface StoreLookup {
    readonly values: StoreRead[];
    readonly seq: StoreSeq;
  }
  export interface StoreEntry {
    readonly key: string;
    readonly value: Uint8Array;
    readonly tags: readonly string[];
    readonly ttlMs: number;
    readonly fetchSeq: StoreSeq;
  }
  export interface Store {
    get(keys: readonly string[]): Promise<StoreLookup>;
    set(entries: readonly StoreEntry[]): Promise<number>;
    invalidate(tags: readonly string[]): Promise<StoreSeq>;
    close(): Promise<void>;
  }
  export interface MemoryStoreOptions {
    maxEntries?: number;
    maxBytes?: number;
    maxTagVersions?: number;
  }
  export interface MemoryStore extends Store {
    readonly size: number;
    readonly bytes: number;
    readonly seq: number;
  }
  export function createMemoryStore(options?: MemoryStoreOptions): MemoryStore;

  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- opaque: the benchmark only hands it to the plugin
  export interface Cache {}
  export function createCache(options: { store: Store }): Cache;
  export const cacheDirectivesTypeDefs: string | DocumentNode;
}

declare module 'cachetag/apollo' {
  import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
  import type { Cache } from 'cachetag';
  export function createApolloPlugin<TContext extends BaseContext = BaseContext>(cache: Cache): ApolloServerPlugin<TContext>;
}

declare module 'cachetag/redis' {
  import type { Redis } from 'ioredis';
  import type { Store } from 'cachetag';
  export function createRedisStore(options: { redis: Redis; prefix?: string }): Store;
}

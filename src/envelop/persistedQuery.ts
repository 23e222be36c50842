/**
 * Automatic Persisted Queries on the Yoga fast path, read as Yoga's APQ plugin (`@graphql-yoga/plugin-apq`) reads them,
 * in the very store the user gives `useAPQ`: so the fast path answers a persisted query only when Yoga would run it,
 * and registers what `useAPQ` would have registered. Everything else is left to Yoga, untouched.
 */
import type { PersistedQueryRegistry } from '../adapter/adapter.js';
import { queryHash } from '../engine/engine.js';

/** A persisted query the fast path may answer: the text it runs, and the hash to register once answered (text sent). */
export interface ResolvedPersistedQuery {
  readonly query: string;
  /** Set when the text came with its hash: `useAPQ` would register it, so the fast path must when it answers. */
  readonly register?: string;
}

/**
 * The query a request with `extensions.persistedQuery` runs, as `useAPQ` resolves it: version 1 with a string hash
 * (anything else `useAPQ` ignores: left to Yoga); with the text, the hash must be its SHA-256 hex digest (a mismatch
 * is Yoga's to refuse); without it (`query` absent or null), the store must have the hash (an unknown one is Yoga's to
 * answer `PersistedQueryNotFound`). A store that fails leaves the request to Yoga, which meets the same failure.
 */
export async function resolvePersistedQuery(store: PersistedQueryRegistry, extension: unknown, query: unknown): Promise<ResolvedPersistedQuery | undefined> {
  if (typeof extension !== 'object' || extension === null) return undefined;
  const { version, sha256Hash } = extension as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1 || typeof sha256Hash !== 'string') return undefined;
  if (query === undefined || query === null) {
    let registered: unknown;
    try {
      registered = await store.get(sha256Hash);
    } catch {
      return undefined;
    }
    return typeof registered === 'string' && registered !== '' ? { query: registered } : undefined;
  }
  if (typeof query !== 'string' || query === '' || queryHash(query) !== sha256Hash) return undefined;
  return { query, register: sha256Hash };
}

/** Registers an answered persisted query as `useAPQ` would (before answering); false when the store failed. */
export async function registerPersistedQuery(store: PersistedQueryRegistry, sha256Hash: string, query: string): Promise<boolean> {
  try {
    await store.set(sha256Hash, query);
    return true;
  } catch {
    return false;
  }
}

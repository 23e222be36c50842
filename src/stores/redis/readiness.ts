/**
 * Whether the store may call Redis now: connected, and (on one shard) its
 * epoch checked after the latest (re)connection. A call made before that
 * fails at once instead of waiting, and costs the breaker nothing.
 */
import type { StoreConnection } from './connection.js';
import type { EpochCheck } from './epochCheck.js';
import type { ShardGuard } from './shardGuard.js';

export interface Readiness {
  /** Why the store may not call Redis now, or undefined when it may. */
  notConnected(): string | undefined;
  /**
   * Resolves to true once the connection is ready and its scripts are loaded,
   * or to false when not connected after `timeoutMs` (or once `isClosed()`).
   */
  whenConnected(timeoutMs?: number): Promise<boolean>;
}

export function createReadiness(connection: StoreConnection, epochs: EpochCheck, guard: ShardGuard, isClosed: () => boolean): Readiness {
  const { client } = connection;

  function notConnected(): string | undefined {
    if (client.status !== 'ready') return `not connected to Redis (connection ${client.status})`;
    // Several shards wait for their epoch check one by one (shardGuard.ts).
    return epochs.done || guard.isolating ? undefined : 'connected to Redis, checking it was not restarted from an older state';
  }

  async function whenConnected(timeoutMs = 5000): Promise<boolean> {
    const until = performance.now() + timeoutMs;
    while (notConnected() !== undefined || !guard.allChecked) {
      if (isClosed() || performance.now() > until) return notConnected() === undefined && guard.isolating;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Connected; also let the script loads finish (within the time left),
    // so that the first lookup does not ship and compile a script.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([connection.scriptsLoaded(), new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, until - performance.now()))))]);
    clearTimeout(timer);
    return true;
  }

  return { notConnected, whenConnected };
}

/**
 * The store's own connection: a duplicate of the client the user passed, with
 * the settings cache traffic needs, and the store's scripts loaded on every
 * node as it connects.
 */
import type { Cluster, Redis } from 'ioredis';
import { type StoreScript, storeScripts } from './scripts.js';

export type ScriptArg = string | Buffer | number;

interface ScriptingCommands {
  evalshaBuffer(sha: string, numKeys: number, ...args: ScriptArg[]): Promise<unknown>;
  evalBuffer(lua: string, numKeys: number, ...args: ScriptArg[]): Promise<unknown>;
}

/**
 * How long ioredis waits, after ending a socket, before destroying it (its
 * default, 2 s, also holds a process that closes the store while Redis is
 * unreachable, the socket of the failed attempt never closing again). A
 * cache connection being dropped has nothing left to flush.
 */
const DISCONNECT_TIMEOUT_MS = 100;

export interface StoreConnection {
  /** The store's ioredis client (its status, disconnect, quit). */
  readonly client: Redis | Cluster;
  /**
   * Runs a script by EVALSHA, replies as bytes. A server that does not have
   * the script (NOSCRIPT: loading not finished, a restarted or promoted
   * node, SCRIPT FLUSH) gets it by EVAL, once.
   */
  run(script: StoreScript, numKeys: number, ...args: ScriptArg[]): Promise<unknown>;
  /** Settles when the script loads started so far have settled, whatever their outcome. */
  scriptsLoaded(): Promise<void>;
}

/**
 * Opens the store's connection(s) from the template client: no offline queue
 * (a call while disconnected fails at once instead of waiting), no
 * per-request retries, a socket timeout that drops a connection that stopped
 * answering, an eager background (re)connection, and for a cluster a short
 * TRYAGAIN delay so that retries fit in the deadlines.
 *
 * On a single Redis, auto-pipelining: the commands issued in one event-loop
 * turn (a lookup round, the fills and invalidations of that turn) leave in one
 * socket write, and their replies mostly arrive in one read. A socket call
 * costs far more than a script's bytes (tens of microseconds of system time
 * each, more on virtual machines), so under load this is fewer calls for the
 * same commands. Not on a cluster: a pipeline sent to a slot being migrated
 * gets ASK redirections, which ioredis does not follow command by command in
 * a pipeline (clusterMigrationOrder.test.ts).
 *
 * Scripts are loaded (SCRIPT LOAD) on each connection as soon as it is ready,
 * on every node of a cluster as it joins, so that even the first call after
 * startup or a reconnection is a plain EVALSHA: no script text on the wire,
 * no compilation inside the read deadline. `onReady` is told each time a
 * connection (a node's, on a cluster) becomes ready, so the store can check
 * the server was not restarted before using it.
 */
export function openConnection(template: Redis | Cluster, socketTimeoutMs: number, onReady: () => void = () => {}): StoreConnection {
  let client: Redis | Cluster;
  const loads = new Set<Promise<void>>();
  const load = (node: Redis): void => {
    const loading = Promise.all(Object.values(storeScripts).map((s) => node.script('LOAD', s.lua))).then(
      () => {},
      // A node that refuses (down, read-only ACL) is served by EVAL after NOSCRIPT.
      () => {},
    );
    loads.add(loading);
    void loading.finally(() => loads.delete(loading));
  };
  if (template.isCluster) {
    const cluster = template as Cluster;
    client = cluster.duplicate([], {
      enableOfflineQueue: false,
      lazyConnect: false,
      retryDelayOnTryAgain: 10,
      redisOptions: { ...cluster.options.redisOptions, maxRetriesPerRequest: 0, socketTimeout: socketTimeoutMs, disconnectTimeout: DISCONNECT_TIMEOUT_MS },
    });
    client.on('node error', () => {});
    // Node connections queue commands until connected, so this needs no waiting.
    client.on('+node', (node: Redis) => {
      load(node);
      node.on('ready', onReady);
    });
  } else {
    const redis = (template as Redis).duplicate({
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      maxRetriesPerRequest: 0,
      lazyConnect: false,
      socketTimeout: socketTimeoutMs,
      disconnectTimeout: DISCONNECT_TIMEOUT_MS,
    });
    // Sent before anything else on the new connection; a restarted server has lost its script cache.
    redis.on('ready', () => {
      load(redis);
      onReady();
    });
    client = redis;
  }
  // Connection errors surface as failed calls; the listener keeps ioredis from logging them.
  client.on('error', () => {});

  // The generated *Buffer command methods (untyped in ioredis): unlike callBuffer, they go through auto-pipelining.
  const scripting = client as unknown as ScriptingCommands;
  return {
    client,
    async run(script, numKeys, ...args) {
      try {
        return await scripting.evalshaBuffer(script.sha, numKeys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return await scripting.evalBuffer(script.lua, numKeys, ...args);
      }
    },
    async scriptsLoaded() {
      await Promise.all(loads);
    },
  };
}

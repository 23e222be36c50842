/**
 * The store's own connection: a duplicate of the client the user passed, with
 * the settings cache traffic needs, and the store's scripts defined on it.
 */
import type { Cluster, Redis } from 'ioredis';
import { fillScript, invalidateScript, lookupScript, readSeqScript, readTagsScript, touchTagsScript } from './scripts.js';

export type ScriptArg = string | Buffer | number;
type ScriptCall = (numKeys: number, ...args: ScriptArg[]) => Promise<unknown>;

/** An ioredis client with the store's scripts, called through their `*Buffer` variants (replies as bytes). */
export type ScriptedClient = (Redis | Cluster) & {
  cachetagLookupBuffer: ScriptCall;
  cachetagFillBuffer: ScriptCall;
  cachetagTouchTagsBuffer: ScriptCall;
  cachetagInvalidateBuffer: ScriptCall;
  cachetagReadSeqBuffer: ScriptCall;
  cachetagReadTagsBuffer: ScriptCall;
};

/**
 * Opens the store's connection(s) from the template client: no offline queue
 * (a call while disconnected fails at once instead of waiting), no
 * per-request retries, a socket timeout that drops a connection that stopped
 * answering, an eager background (re)connection, and for a cluster a short
 * TRYAGAIN delay so that retries fit in the deadlines. Scripts are sent with
 * EVALSHA (EVAL once per connection, and after NOSCRIPT).
 */
export function openConnection(template: Redis | Cluster, socketTimeoutMs: number): ScriptedClient {
  let client: Redis | Cluster;
  if (template.isCluster) {
    const cluster = template as Cluster;
    client = cluster.duplicate([], {
      enableOfflineQueue: false,
      lazyConnect: false,
      retryDelayOnTryAgain: 10,
      redisOptions: { ...cluster.options.redisOptions, maxRetriesPerRequest: 0, socketTimeout: socketTimeoutMs },
    });
    client.on('node error', () => {});
  } else {
    client = (template as Redis).duplicate({ enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: false, socketTimeout: socketTimeoutMs });
  }
  // Connection errors surface as failed calls; the listener keeps ioredis from logging them.
  client.on('error', () => {});
  client.defineCommand('cachetagLookup', { lua: lookupScript });
  client.defineCommand('cachetagFill', { lua: fillScript });
  client.defineCommand('cachetagTouchTags', { lua: touchTagsScript });
  client.defineCommand('cachetagInvalidate', { lua: invalidateScript });
  client.defineCommand('cachetagReadSeq', { lua: readSeqScript });
  client.defineCommand('cachetagReadTags', { lua: readTagsScript });
  return client as ScriptedClient;
}

/**
 * What every store publishes with each acknowledged invalidation (invalidationBroadcast.ts has the message and the
 * subscriber): the arguments the invalidate script needs to publish it itself, atomically with the counter raise,
 * so that no acknowledged invalidation goes unannounced, whatever the store's mode, retries included.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { ScriptArg } from './connection.js';
import { createHybridLogicalClock, type HybridLogicalClock } from './hlc.js';
import { invalidationChannel, type InvalidationMessage } from './invalidationBroadcast.js';

/** The label of this process in the invalidations it publishes: `<hostname>:<pid>`. */
export function defaultSource(): string {
  return `${hostname()}:${process.pid}`;
}

export interface InvalidationPublisher {
  /** The store's clock: it stamps what it publishes and merges what its tier receives. */
  readonly hlc: HybridLogicalClock;
  /** The invalidate script's publishing arguments (ARGV[5..], see invalidateScript.ts) for `tags` of `shard`. */
  scriptArgs(shard: number, tags: readonly string[]): ScriptArg[];
  /** The same message as the script publishes, for a raise made apart from it (slot migration). */
  message(shard: number, epoch: string, n: number, tags: readonly string[]): string;
  readonly channel: string;
}

export function createInvalidationPublisher(prefix: string, source: string): InvalidationPublisher {
  const hlc = createHybridLogicalClock();
  const from = randomBytes(8).toString('hex');
  const channel = invalidationChannel(prefix);
  return {
    hlc,
    channel,
    scriptArgs(shard, tags) {
      const [ms, logical] = hlc.now();
      return [channel, from, source, String(ms), String(logical), String(shard), ...tags];
    },
    message(shard, epoch, n, tags) {
      const message: InvalidationMessage = { from, source, hlc: hlc.now(), tags, shards: [[shard, epoch, n]] };
      return JSON.stringify(message);
    },
  };
}

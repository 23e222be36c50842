/**
 * The broadcast of invalidations over Redis pub/sub, on the channel
 * `<prefix>:invalidations`. Every store publishes each invalidation Redis
 * acknowledges, whatever its mode: the invalidate script itself publishes, one
 * message per shard it raised (epoch and counter), with a Hybrid Logical Clock
 * timestamp and the publishing instance's label, so retried invalidations are
 * published too and the message can never announce a raise that did not happen.
 * Fast mode's tier subscribes here; pub/sub is at-most-once, so it also
 * resynchronises passively (sequenceGaps.ts). The subscriber is pinged; while it
 * is down or silent the broadcast is "unhealthy" and the tier must flush and bypass.
 */
import type { Cluster, Redis } from 'ioredis';
import { type HlcTimestamp, type HybridLogicalClock, isHlcTimestamp } from './hlc.js';

/** The channel every store of `prefix` publishes its acknowledged invalidations on. */
export function invalidationChannel(prefix: string): string {
  return `${prefix}:invalidations`;
}

/** One broadcast invalidation: the part of an invalidation one shard acknowledged. */
export interface InvalidationMessage {
  /** The publishing store (random, one per store object). */
  readonly from: string;
  /** The publishing instance's label: the store's `source` option, default `${hostname}:${pid}` (the CLI: `cachetag-cli`). */
  readonly source: string;
  readonly hlc: HlcTimestamp;
  /** The invalidated tags that this shard holds. */
  readonly tags: readonly string[];
  /** `[shard, epoch, counter]` of the shard raised (empty when `reset`). */
  readonly shards: readonly (readonly [number, string, number])[];
  /** True when the shards' counters were reset (Redis out of memory): receivers flush. */
  readonly reset?: boolean;
}

export interface InvalidationBroadcast {
  readonly healthy: boolean;
  close(): Promise<void>;
}

export interface BroadcastHandlers {
  message(message: InvalidationMessage): void;
  /** The subscriber became unhealthy (dropped, silent) or healthy again. */
  health(healthy: boolean): void;
}

/**
 * Subscribes to the invalidations of `prefix`. Every message is handed over, this store's own included: those of
 * its retried invalidations reach the tier only this way. `hlc` is the store's clock, which publishes with it.
 */
export function subscribeToInvalidations(
  template: Redis | Cluster,
  prefix: string,
  pingMs: number,
  hlc: HybridLogicalClock,
  handlers: BroadcastHandlers,
): InvalidationBroadcast {
  const channel = invalidationChannel(prefix);
  const settings = { lazyConnect: false, enableOfflineQueue: false, maxRetriesPerRequest: 0, autoResubscribe: true, connectTimeout: pingMs };
  // One Redis: autoResubscribe off, since the 'ready' handler below subscribes on every (re)connection with its promise
  // handled, whereas ioredis's own resubscription leaves its promise unhandled: an unhandledRejection in the user's
  // process when the connection drops again right after becoming ready (broadcastResubscribe.test.ts). A cluster's
  // subscriber node is chosen and resubscribed by ioredis's cluster subscriber, so it keeps ioredis's setting.
  const duplicate = (): Redis | Cluster =>
    (template as { isCluster?: boolean }).isCluster === true
      ? (template as Cluster).duplicate([], { redisOptions: settings, enableOfflineQueue: false, lazyConnect: false })
      : (template as Redis).duplicate({ ...settings, autoResubscribe: false });
  const subscriber = duplicate();
  let healthy = false;
  let subscribed = false;
  let closed = false;
  subscriber.on('error', () => {});

  function setHealthy(next: boolean): void {
    if (healthy === next || closed) return;
    healthy = next;
    handlers.health(next);
  }

  subscriber.on('ready', () => {
    void (subscriber as Redis).subscribe(channel).then(
      () => {
        subscribed = true;
        setHealthy(true);
      },
      () => setHealthy(false),
    );
  });
  for (const event of ['close', 'end', 'reconnecting']) {
    subscriber.on(event, () => {
      subscribed = false;
      setHealthy(false);
    });
  }
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    const message = parseInvalidationMessage(text);
    if (message === undefined) return;
    hlc.receive(message.hlc);
    handlers.message(message);
  });

  // A subscriber that stops answering loses messages silently: a ping that gets no answer within pingMs marks it unhealthy and reconnects it.
  const pinger = setInterval(() => {
    if (!subscribed) return;
    let answered = false;
    const timer = setTimeout(() => {
      if (answered || closed) return;
      setHealthy(false);
      subscribed = false;
      subscriber.disconnect(true);
    }, pingMs);
    timer.unref();
    (subscriber as Redis).ping().then(
      () => {
        answered = true;
        clearTimeout(timer);
        if (subscribed) setHealthy(true);
      },
      () => {},
    );
  }, pingMs);
  pinger.unref();

  return {
    get healthy() {
      return healthy;
    },
    async close() {
      closed = true;
      clearInterval(pinger);
      try {
        subscriber.disconnect();
      } catch {
        // Closing is best effort.
      }
    },
  };
}

/** A message as published, or undefined when it is not one (the channel is open to anything). */
export function parseInvalidationMessage(text: string): InvalidationMessage | undefined {
  try {
    const m = JSON.parse(text) as InvalidationMessage;
    if (typeof m !== 'object' || m === null || typeof m.from !== 'string' || typeof m.source !== 'string' || !isHlcTimestamp(m.hlc)) return undefined;
    if (!Array.isArray(m.tags) || !m.tags.every((t) => typeof t === 'string')) return undefined;
    if (!Array.isArray(m.shards) || !m.shards.every((s) => Array.isArray(s) && Number.isInteger(s[0]) && typeof s[1] === 'string' && Number.isInteger(s[2])))
      return undefined;
    return m;
  } catch {
    return undefined;
  }
}

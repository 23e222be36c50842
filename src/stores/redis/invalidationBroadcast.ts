/**
 * Fast mode's broadcast of invalidations over Redis pub/sub, on the channel
 * `<prefix>:invalidations`: each acknowledged invalidation is published with
 * the shards it raised (epoch and counter) and a Hybrid Logical Clock
 * timestamp. Pub/sub is at-most-once, so receivers also resynchronise
 * passively (sequenceGaps.ts). The subscriber is pinged; while it is down or
 * silent the broadcast is "unhealthy" and the tier must flush and bypass.
 */
import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { createHybridLogicalClock, type HlcTimestamp, isHlcTimestamp } from './hlc.js';

/** One broadcast invalidation. */
export interface InvalidationMessage {
  /** The publishing instance (a receiver ignores its own). */
  readonly from: string;
  readonly hlc: HlcTimestamp;
  readonly tags: readonly string[];
  /** `[shard, epoch, counter]` of every shard the invalidation raised. */
  readonly shards: readonly (readonly [number, string, number])[];
  /** True when the shards' counters were reset (Redis out of memory): receivers flush. */
  readonly reset?: boolean;
}

export interface InvalidationBroadcast {
  readonly healthy: boolean;
  publish(message: Omit<InvalidationMessage, 'from' | 'hlc'>): void;
  close(): Promise<void>;
}

export interface BroadcastHandlers {
  message(message: InvalidationMessage): void;
  /** The subscriber became unhealthy (dropped, silent) or healthy again. */
  health(healthy: boolean): void;
}

export function openInvalidationBroadcast(template: Redis | Cluster, prefix: string, pingMs: number, handlers: BroadcastHandlers): InvalidationBroadcast {
  const channel = `${prefix}:invalidations`;
  const id = randomBytes(8).toString('hex');
  const hlc = createHybridLogicalClock();
  const settings = { lazyConnect: false, enableOfflineQueue: false, maxRetriesPerRequest: 0, autoResubscribe: true, connectTimeout: pingMs };
  const duplicate = (): Redis | Cluster =>
    (template as { isCluster?: boolean }).isCluster === true
      ? (template as Cluster).duplicate([], { redisOptions: settings, enableOfflineQueue: false })
      : (template as Redis).duplicate(settings);
  const publisher = duplicate();
  const subscriber = duplicate();
  let healthy = false;
  let subscribed = false;
  let closed = false;
  publisher.on('error', () => {});
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
    const message = parse(text);
    if (message === undefined || message.from === id) return;
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
    publish(message) {
      const full: InvalidationMessage = { ...message, from: id, hlc: hlc.now() };
      // At most once: a lost publish is a gap the receivers close by themselves.
      (publisher as Redis).publish(channel, JSON.stringify(full)).catch(() => {});
    },
    async close() {
      closed = true;
      clearInterval(pinger);
      for (const client of [publisher, subscriber]) {
        try {
          client.disconnect();
        } catch {
          // Closing is best effort.
        }
      }
    },
  };
}

function parse(text: string): InvalidationMessage | undefined {
  try {
    const m = JSON.parse(text) as InvalidationMessage;
    if (typeof m !== 'object' || m === null || typeof m.from !== 'string' || !isHlcTimestamp(m.hlc)) return undefined;
    if (!Array.isArray(m.tags) || !m.tags.every((t) => typeof t === 'string')) return undefined;
    if (!Array.isArray(m.shards) || !m.shards.every((s) => Array.isArray(s) && Number.isInteger(s[0]) && typeof s[1] === 'string' && Number.isInteger(s[2])))
      return undefined;
    return m;
  } catch {
    return undefined;
  }
}

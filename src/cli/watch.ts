/**
 * `cachetag watch`: every invalidation Redis acknowledges, from every process sharing the prefix, as it happens: the
 * stores publish each one on `<prefix>:invalidations` (invalidationBroadcast.ts) with its tags, the publishing
 * instance (`source`) and a Hybrid Logical Clock timestamp, one message per shard it raised. Pub/sub is at-most-once:
 * a shard's counter that moved by more than one since the last message says how many were missed. With --url, one
 * server's invalidations through its admin endpoint (cacheAdmin) instead.
 */
import { parseArgs } from 'node:util';
import { assertValidTag, TAG_SEPARATOR } from '../tags/hierarchy.js';
import { invalidationChannel, parseInvalidationMessage, type InvalidationMessage } from '../stores/redis/invalidationBroadcast.js';
import { exitCodes, UsageError } from './exitCodes.js';
import type { CliIo } from './io.js';
import { redisOptions, withInspector } from './redisTarget.js';
import { adminEvents, type AdminFlags } from './adminTarget.js';

export const watchHelp = `Usage: cachetag watch --redis <url> [--cluster] [--prefix <p>] [--json] [--tag <tag>]... [--count <n>]
       cachetag watch --url <admin url> [--token <t>] [--json] [--count <n>]

Every invalidation Redis acknowledges, from every process sharing the prefix, as it happens: its time (the publishing
process's Hybrid Logical Clock), its tags, its source (the store's source option, default host:pid; cachetag-cli for
this CLI) and the shard sequence it raised; one line per shard it touched. --tag keeps the invalidations that reach
a tag (the tag, an ancestor, or below it). Pub/sub delivers at most once: when a shard's sequence moved further than
the lines seen, a line says how many were missed. A lost sequence (Redis out of memory) is shown as a reset.
With --url (a server mounting cacheAdmin): that server's acknowledged invalidations (time, tags, mutation or api).
Runs until Ctrl-C, or until --count lines; --json prints one JSON object per line. Exit 0, 1 when it cannot connect.`;

/** One line of `watch --redis --json`. */
export interface WatchEvent {
  /** ISO time of the publishing process's HLC. */
  readonly time: string;
  readonly kind: 'invalidation' | 'missed' | 'reset';
  readonly source?: string;
  readonly tags?: readonly string[];
  readonly shard?: number;
  /** The shard's sequence after the invalidation. */
  readonly sequence?: number;
  /** `missed`: invalidations of the shard not seen. */
  readonly missed?: number;
  readonly hlc?: readonly [number, number];
}

export async function watchCommand(args: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { ...redisOptions, tag: { type: 'string', multiple: true }, count: { type: 'string' } },
    allowPositionals: false,
  });
  const tags = values.tag ?? [];
  tags.forEach((tag) => assertValidTag(tag));
  const count = values.count === undefined ? Infinity : Number(values.count);
  if (!(count > 0)) throw new UsageError(`--count expects a number > 0; received ${values.count}.`);
  if (values.url) return watchServer(values, count, io, signal);
  const stop = new AbortController();
  signal?.addEventListener('abort', () => stop.abort(), { once: true });
  let printed = 0;
  const print = (event: WatchEvent) => {
    if (stop.signal.aborted) return;
    io.out(values.json ? JSON.stringify(event) : describe(event));
    if (++printed >= count) stop.abort();
  };
  await withInspector(values, async (inspector, client) => {
    const subscriber = client.duplicate();
    subscriber.on('error', () => {});
    try {
      const channel = invalidationChannel(inspector.prefix);
      const lastSeen = new Map<number, { epoch: string; counter: number }>();
      // Baseline: what each shard's counter is now, so the first message tells whether any was missed.
      for (const s of await inspector.sequences())
        if (s.epoch !== undefined && s.counter !== undefined) lastSeen.set(s.shard, { epoch: s.epoch, counter: s.counter });
      subscriber.on('message', (from: string, text: string) => {
        if (from !== channel) return;
        const message = parseInvalidationMessage(text);
        if (message) for (const event of eventsOf(message, lastSeen)) if (reaches(event, tags)) print(event);
      });
      await (subscriber as { subscribe(channel: string): Promise<unknown> }).subscribe(channel);
      if (!values.json) io.out(`watching ${inspector.prefix} (${channel}); Ctrl-C to stop`);
      await new Promise<void>((resolve) => {
        if (stop.signal.aborted) resolve();
        stop.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      subscriber.disconnect();
    }
  });
  return exitCodes.ok;
}

/** The lines of one message: a missed-count first when the shard's counter jumped, then the invalidation. */
function eventsOf(message: InvalidationMessage, lastSeen: Map<number, { epoch: string; counter: number }>): WatchEvent[] {
  const time = new Date(message.hlc[0]).toISOString();
  const base = { time, source: message.source, hlc: message.hlc };
  if (message.reset) return [{ ...base, kind: 'reset', tags: message.tags }];
  const events: WatchEvent[] = [];
  for (const [shard, epoch, counter] of message.shards) {
    const before = lastSeen.get(shard);
    if (before && before.epoch === epoch && counter > before.counter + 1) events.push({ time, kind: 'missed', shard, missed: counter - before.counter - 1 });
    if (!before || before.epoch !== epoch || counter > before.counter) lastSeen.set(shard, { epoch, counter });
    events.push({ ...base, kind: 'invalidation', tags: message.tags, shard, sequence: counter });
  }
  return events;
}

/** Whether an invalidation reaches one of `tags`: the tag itself, an ancestor of it, or a tag below it. */
function reaches(event: WatchEvent, tags: readonly string[]): boolean {
  if (tags.length === 0 || event.kind === 'missed') return true;
  return (event.tags ?? []).some((t) => tags.some((w) => w === t || w.startsWith(t + TAG_SEPARATOR) || t.startsWith(w + TAG_SEPARATOR)));
}

function describe(event: WatchEvent): string {
  switch (event.kind) {
    case 'invalidation':
      return `${event.time} ${event.tags!.join(' ')}  from ${event.source} (shard ${event.shard}, sequence ${event.sequence})`;
    case 'missed':
      return `${event.time} shard ${event.shard}: ${event.missed} invalidation${event.missed === 1 ? '' : 's'} not seen (pub/sub delivers at most once)`;
    case 'reset':
      return `${event.time} sequences lost and restarted (Redis out of memory), from ${event.source}: every older entry reads as stale`;
  }
}

/** A server's acknowledged invalidations (`cacheAdmin`'s /watch), as they happen; stops after `count` of them. */
async function watchServer(flags: AdminFlags & { json?: boolean | undefined }, count: number, io: CliIo, signal?: AbortSignal): Promise<number> {
  const stop = new AbortController();
  signal?.addEventListener('abort', () => stop.abort(), { once: true });
  let seen = 0;
  await adminEvents(
    flags,
    '/watch',
    (event) => {
      const e = event as { time: string; tags: string[]; source: string; coordinate?: string };
      io.out(flags.json ? JSON.stringify(e) : `${e.time} ${e.tags.join(' ')} (${e.source}${e.coordinate ? ` ${e.coordinate}` : ''})`);
      if (++seen >= count) stop.abort();
    },
    stop.signal,
    () => {
      if (!flags.json) io.out(`watching ${flags.url}; Ctrl-C to stop`);
    },
  );
  return exitCodes.ok;
}

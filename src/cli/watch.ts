/**
 * `cachetag watch`: invalidations as they happen across every process that
 * shares the prefix, seen from Redis: each shard's sequence is polled and
 * every move is printed with the time; tags named with --tag are followed
 * by their record. The store publishes no tag names, so a move of the
 * sequence says how many invalidations landed, not which tags.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { assertValidTag } from '../tags/hierarchy.js';
import type { ShardState } from '../stores/redis/inspect.js';
import { exitCodes } from './exitCodes.js';
import { adminEvents, type AdminFlags } from './adminTarget.js';
import type { CliIo } from './io.js';
import { redisOptions, withInspector } from './redisTarget.js';

export const watchHelp = `Usage: cachetag watch --redis <url> [--cluster] [--prefix <p>] [--shards <n>] [--json] [--tag <tag>]... [--interval <ms>] [--count <n>]
       cachetag watch --url <admin url> [--token <t>] [--json] [--count <n>]

A live stream of invalidations from every process sharing the prefix: each move of a shard's invalidation sequence
("shard 0: 2 invalidations, sequence 41 → 43"), a sequence that was lost (new epoch), and, for each --tag, every new
version of its record ("Product:42 invalidated at 43"). Polls every --interval ms (default 200) until Ctrl-C, or for
--count polls.
With --url <admin url> [--token <t>] (a server mounting cacheAdmin): that server's acknowledged invalidations, each
with its time, tags and source (mutation or api), over Server-Sent Events; --count stops after that many.`;

interface WatchEvent {
  readonly time: string;
  readonly shard: number;
  readonly kind: 'invalidations' | 'sequence-reset' | 'tag';
  readonly invalidations?: number;
  readonly from?: number;
  readonly to?: number;
  readonly tag?: string;
}

export async function watchCommand(args: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { ...redisOptions, tag: { type: 'string', multiple: true }, interval: { type: 'string' }, count: { type: 'string' } },
    allowPositionals: false,
  });
  const tags = values.tag ?? [];
  tags.forEach((tag) => assertValidTag(tag));
  const intervalMs = values.interval === undefined ? 200 : Number(values.interval);
  if (!(intervalMs > 0)) throw new Error(`--interval expects milliseconds > 0; received ${values.interval}.`);
  const count = values.count === undefined ? Infinity : Number(values.count);
  if (values.url) return watchServer(values, count, io, signal);
  const print = (event: WatchEvent) => io.out(values.json ? JSON.stringify(event) : describe(event));
  await withInspector(values, async (inspector) => {
    let previous = await inspector.sequences();
    const versions = new Map<string, number | undefined>();
    for (const tag of tags) versions.set(tag, (await inspector.tagStates(tag)).at(-1)?.version);
    if (!values.json) io.out(`watching ${inspector.prefix} (${inspector.shardCount} shard${inspector.shardCount === 1 ? '' : 's'}); Ctrl-C to stop`);
    for (let poll = 0; poll < count && !signal?.aborted; poll++) {
      await sleep(intervalMs);
      const time = new Date().toISOString();
      const current = await inspector.sequences();
      current.forEach((now, i) => {
        const before: ShardState = previous[i]!;
        if (before.epoch !== undefined && now.epoch !== before.epoch) print({ time, shard: now.shard, kind: 'sequence-reset' });
        else if ((now.counter ?? 0) > (before.counter ?? 0))
          print({
            time,
            shard: now.shard,
            kind: 'invalidations',
            invalidations: now.counter! - (before.counter ?? 0),
            from: before.counter ?? 0,
            to: now.counter!,
          });
      });
      previous = current;
      for (const tag of tags) {
        const state = (await inspector.tagStates(tag)).at(-1)!;
        const before = versions.get(tag);
        // Only a higher version is an invalidation: a fill also creates a missing record, at the current sequence.
        if (state.state === 'recorded' && before !== undefined && state.version! > before) {
          print({ time, shard: state.shard, kind: 'tag', tag, to: state.version });
        }
        versions.set(tag, state.version);
      }
    }
  });
  return exitCodes.ok;
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

function describe(event: WatchEvent): string {
  switch (event.kind) {
    case 'invalidations':
      return `${event.time} shard ${event.shard}: ${event.invalidations} invalidation${event.invalidations === 1 ? '' : 's'}, sequence ${event.from} → ${event.to}`;
    case 'sequence-reset':
      return `${event.time} shard ${event.shard}: sequence lost and restarted (new epoch): every older entry of the shard reads as stale`;
    case 'tag':
      return `${event.time} shard ${event.shard}: ${event.tag} invalidated at ${event.to}`;
  }
}

/**
 * `cachetag tags <tag>...`: the invalidation state of each tag and of its
 * ancestors, read from the Redis store's tag records.
 */
import { parseArgs } from 'node:util';
import { assertValidTag } from '../tags/hierarchy.js';
import type { TagState } from '../stores/redis/inspect.js';
import { exitCodes, UsageError } from './exitCodes.js';
import { adminRequest } from './adminTarget.js';
import type { CliIo } from './io.js';
import { redisOptions, withInspector } from './redisTarget.js';

export const tagsHelp = `Usage: cachetag tags --redis <url> [--cluster] [--prefix <p>] [--shards <n>] [--json] <tag>...
       cachetag tags --url <admin url> [--token <t>] [--json] <tag>...

The invalidation state of each tag and of its ancestors (Org:1:stores → Org, Org:1, Org:1:stores), as every
process reads it: "version N" (entries carrying the tag are served only if their fill saw at least N, the shard's
sequence), "missing" or "foreign epoch" (entries carrying it read as stale). With --url (a server's memory store,
through cacheAdmin): "version N" (the sequence of its last invalidation) or "never invalidated".`;

export async function tagsCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: redisOptions, allowPositionals: true });
  if (positionals.length === 0) throw new UsageError('name at least one tag.');
  positionals.forEach((tag) => assertValidTag(tag));
  if (values.url) {
    const { body } = await adminRequest<Record<string, AdminTagState[]>>(values, '/tags', { params: { tag: positionals } });
    if (values.json) io.out(JSON.stringify(body, null, 2));
    else
      for (const tag of positionals)
        for (const state of body[tag] ?? [])
          io.out(
            state.state === 'recorded'
              ? `${state.tag.padEnd(32)} version ${state.version}: entries filled before it read as stale`
              : `${state.tag.padEnd(32)} never invalidated (no version remembered)`,
          );
    return exitCodes.ok;
  }
  const states = await withInspector(values, async (inspector) => Promise.all(positionals.map((tag) => inspector.tagStates(tag))));
  if (values.json) {
    io.out(JSON.stringify(Object.fromEntries(positionals.map((tag, i) => [tag, states[i]])), null, 2));
    return exitCodes.ok;
  }
  for (const chain of states) for (const state of chain) io.out(describeTag(state));
  return exitCodes.ok;
}

/** A tag's state in a memory store, as the admin endpoint reports it. */
interface AdminTagState {
  readonly tag: string;
  readonly state: 'recorded' | 'missing';
  readonly version?: number;
}

function describeTag(state: TagState): string {
  const where = `shard ${state.shard}, sequence ${state.sequence.counter ?? 'none'}`;
  switch (state.state) {
    case 'recorded':
      return `${state.tag.padEnd(32)} version ${state.version} (${where}); record lives ${ttl(state.ttlMs!)}`;
    case 'missing':
      return `${state.tag.padEnd(32)} missing (${where}): entries carrying it read as stale`;
    case 'foreign-epoch':
      return `${state.tag.padEnd(32)} foreign epoch (${where}): written before the shard's sequence was lost; read as missing`;
  }
}

/** `59.9s`, `12m`, `no expiry`. */
export function ttl(ms: number): string {
  if (ms < 0) return 'no expiry';
  return ms < 120_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 60_000)}m`;
}

/**
 * `cachetag inspect <coordinate|key>`: the entries of a coordinate (or one
 * entry by its cache key) in the Redis store, with tags, TTL left, size and
 * whether a lookup would serve each now.
 */
import { parseArgs } from 'node:util';
import type { EntryInfo } from '../stores/redis/inspect.js';
import { exitCodes, UsageError } from './exitCodes.js';
import { adminRequest } from './adminTarget.js';
import type { CliIo } from './io.js';
import { progress, progressDone, redisOptions, withInspector } from './redisTarget.js';
import { ttl } from './tags.js';

export const inspectHelp = `Usage: cachetag inspect --redis <url> [--cluster] [--prefix <p>] [--shards <n>] [--json] <Type.field | key>
       cachetag inspect --url <admin url> [--token <t>] [--json] <Type.field | key>

The entries of a coordinate (Query.products: every cached result of that field, scanned) or one entry by its cache
key (Query.products:<hash>, as debug output shows it): tags, age (since the fill; "age unknown" for entries written
before fill times were stored), TTL left, size, and "fresh" or "stale" with the reason
(a stale entry stays in the store until it is read or expires). --url reads a server's memory store through its
admin endpoint (cacheAdmin). Exit 1 when a key names no entry.`;

export async function inspectCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: redisOptions, allowPositionals: true });
  const [target] = positionals;
  if (!target || positionals.length > 1) throw new UsageError('name one coordinate (Type.field) or one cache key.');
  const isKey = target.includes(':');
  const entries = values.url
    ? (await adminRequest<EntryInfo[]>(values, '/inspect', { params: { target } })).body
    : await withInspector(values, async (inspector) => {
        if (isKey) {
          const found = await inspector.entry(target);
          return found ? [found] : [];
        }
        const all = await inspector.entries(`${target.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}:*`, progress);
        progressDone();
        return all;
      });
  if (values.json) io.out(JSON.stringify(entries, null, 2));
  else if (entries.length === 0) io.out(isKey ? `no entry under ${target}.` : `no entries of ${target}.`);
  else {
    for (const entry of entries) io.out(describeEntry(entry));
    if (!isKey) io.out(`${entries.length} entries, ${entries.filter((e) => e.fresh).length} fresh.`);
  }
  return isKey && entries.length === 0 ? exitCodes.failed : exitCodes.ok;
}

function describeEntry(entry: EntryInfo): string {
  const state = entry.fresh ? 'fresh' : `stale: ${entry.staleBecause}`;
  const age = entry.ageMs === undefined ? 'age unknown' : `age ${ttl(entry.ageMs)}`;
  return `${entry.key}\n  ${state}; ${age}; ttl ${ttl(entry.ttlMs)}; ${entry.bytes} bytes\n  tags: ${entry.tags.join(' ') || '(none)'}`;
}

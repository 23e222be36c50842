/**
 * Guards `cachetag invalidate` before it runs: a broad tag (a type name
 * alone, one segment: `Product` invalidates every Product entry) needs a
 * confirmation or --yes; --dry-run counts what would be invalidated instead
 * of invalidating; --json reports the outcome as one JSON object. The
 * invalidation itself stays the invalidate command's.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { TAG_SEPARATOR } from '../tags/hierarchy.js';
import { exitCodes } from './exitCodes.js';
import type { CliIo } from './io.js';
import { progress, progressDone, redisOptions, withInspector } from './redisTarget.js';
import { adminRequest } from './adminTarget.js';
import type { EntryInfo } from '../stores/entryInfo.js';

export const invalidateHelp = `Usage: cachetag invalidate --redis <url> [--cluster] [--prefix <p>] [--timeout <ms>] [--yes] [--dry-run [--shards <n>]] [--json] <tag>...
       cachetag invalidate --url <admin url> [--token <t>] [--yes] [--dry-run] [--json] <tag>...

Invalidates the tags, and everything below them, in a Redis store: every process sharing the prefix stops serving
entries that carry them. A tag of one segment (a type name such as Product: every Product entry) asks for
confirmation first; --yes skips it (required without a terminal). --dry-run invalidates nothing and counts the
entries that carry each tag (scanned). Waits up to --timeout ms (default 5000) for the connection and for Redis to
acknowledge, then prints how many tags Redis acknowledged. Exit 0 when Redis acknowledged, 1 when it did not (the
message says why and what was not invalidated), 3 when not confirmed. --url invalidates through a server's admin
endpoint (cacheAdmin): cache.invalidate() in that process, acknowledged by its store.`;

/** Asks a yes/no question on the terminal; false without one. */
export type Confirm = (question: string) => Promise<boolean>;

export const terminalConfirm: Confirm = async (question) => {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
};

/** True for a tag that invalidates a whole type or namespace: fewer than two segments. */
export function isBroadTag(tag: string): boolean {
  return !tag.includes(TAG_SEPARATOR);
}

/**
 * Runs `invalidate` (the command proper, given the arguments without this
 * guard's flags) once the broad tags are confirmed; or counts (--dry-run).
 */
export async function guardInvalidate(
  args: readonly string[],
  io: CliIo,
  invalidate: (args: readonly string[], io: CliIo) => Promise<number>,
  confirm: Confirm = terminalConfirm,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { ...redisOptions, yes: { type: 'boolean', default: false }, 'dry-run': { type: 'boolean', default: false }, timeout: { type: 'string' } },
    allowPositionals: true,
  });
  const json = values.json === true;
  const report = (result: Record<string, unknown>, code: number) => {
    if (json) io.out(JSON.stringify({ command: 'invalidate', exitCode: code, tags: positionals, ...result }, null, 2));
    return code;
  };
  if (values['dry-run']) {
    const entries = values.url
      ? (await adminRequest<EntryInfo[]>(values, '/inspect')).body
      : await withInspector(values, (inspector) => inspector.entries('*', progress));
    progressDone();
    const counts = positionals.map((tag) => {
      const carrying = entries.filter((e) => e.tags.includes(tag));
      return { tag, entries: carrying.length, fresh: carrying.filter((e) => e.fresh).length };
    });
    if (!json) for (const c of counts) io.out(`would invalidate ${c.tag}: ${c.entries} entries carry it (${c.fresh} fresh).`);
    return report({ dryRun: true, counts }, exitCodes.ok);
  }
  const broad = positionals.filter(isBroadTag);
  if (broad.length > 0 && !values.yes) {
    const question = `Invalidate ${broad.join(', ')}: every entry of ${broad.length === 1 ? 'that type' : 'those types'}, in every process?`;
    if (!(await confirm(question))) {
      const message = `not confirmed: ${broad.join(', ')} would invalidate a whole type; add --yes to do it without asking.`;
      if (!json) io.err(`cachetag invalidate: ${message}`);
      return report({ error: message }, exitCodes.notConfirmed);
    }
  }
  const passOn = args.filter((a) => a !== '--yes' && a !== '--json' && a !== '--dry-run');
  if (!json) return invalidate(passOn, io);
  const out: string[] = [];
  const err: string[] = [];
  const code = await invalidate(passOn, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return report({ output: out, errors: err }, code);
}

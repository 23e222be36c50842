/** `cachetag <command> --help`: one text per command. */
import { inspectHelp } from './inspect.js';
import { invalidateHelp } from './invalidateGuard.js';
import { statsHelp } from './stats.js';
import { tagsHelp } from './tags.js';
import { watchHelp } from './watch.js';

const validateHelp = `Usage: cachetag validate <schema.graphql>... [--no-session] [--json]

Checks every cache directive of the schema (the files are merged as Apollo Server merges typeDefs) and lists every
problem with its file, line and column. A sessionId function is assumed, so scope: PRIVATE is accepted; --no-session
checks as if createCache had none. Exit 0 when there is no problem, 1 otherwise.`;

const planHelp = `Usage: cachetag plan <schema.graphql>... [--json]

Prints how the cache treats each field: maxAge and scope (a PUBLIC field below a PRIVATE one is keyed by session
there: "PRIVATE (below Query.me)"), tags, invalidations, cached nulls and list scopes.`;

export const commandHelp: Readonly<Record<string, string>> = {
  validate: validateHelp,
  plan: planHelp,
  invalidate: invalidateHelp,
  stats: statsHelp,
  inspect: inspectHelp,
  tags: tagsHelp,
  watch: watchHelp,
};

/**
 * The CLI: argument parsing and printing around library calls, nothing more.
 *
 *   cachetag validate <schema.graphql>... [--no-session]
 *   cachetag plan <schema.graphql>... [--json]
 *   cachetag invalidate --redis <url> [--cluster] [--prefix <p>] [--timeout <ms>] <tag>...   (or --url <admin url>)
 *   cachetag stats | inspect | tags | watch --redis <url> ...   (one file each)
 */
import { parseArgs } from 'node:util';
import { assertValidTag, buildCachePlan, CacheTagSchemaError, isUnacknowledgedInvalidation, validateCacheDirectives } from '../index.js';
import { loadSchema } from './loadSchema.js';
import { privateAncestry, type FieldPlan } from '../engine/plan.js';
import { privateBelow as privateReachedBelow } from '../engine/privacy.js';
import type { CacheScope } from '../directives/validate.js';
import { exitCodeOf, exitCodes } from './exitCodes.js';
import { commandHelp } from './help.js';
import { inspectCommand } from './inspect.js';
import { guardInvalidate } from './invalidateGuard.js';
import { statsCommand } from './stats.js';
import { tagsCommand } from './tags.js';
import { watchCommand } from './watch.js';
import { adminRequest } from './adminTarget.js';

export const usage = `Usage:
  cachetag validate <schema.graphql>... [--no-session]
                                                       check the cache directives (--no-session: the cache has no sessionId function)
  cachetag plan <schema.graphql>... [--json]           print every cached field's policy, tags and list scope
  cachetag invalidate --redis <url> [--cluster] [--prefix <prefix>] [--timeout <ms>] <tag>...
                                                       invalidate tags in a Redis store (and everything below them);
                                                       waits up to --timeout ms (default 5000) for Redis to acknowledge
  cachetag stats --redis <url> [--watch <s>]           hit ratio of every process (by reason, by coordinate); entries, bytes
  cachetag inspect --redis <url> <Type.field | key>    entries with their tags, age, TTL left, size and freshness
  cachetag tags --redis <url> <tag>...                 the invalidation state of tags and their ancestors
  cachetag watch --redis <url> [--tag <tag>]...        invalidations as they happen, from every process

Redis commands also take --cluster, --prefix <p>, --shards <n>; instead of --redis, --url <admin url> [--token <t>]
reaches one server's cache through its admin endpoints (cacheAdmin in cachetag/http; the memory store's only way).
Every command takes --json and --help.
Exit codes: 0 ok, 1 failed (problems, Redis unreachable, not acknowledged), 2 usage, 3 not confirmed.
`;

interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** Runs the CLI; resolves to the process exit code. */
export async function runCli(argv: readonly string[], io: Io = { out: (l) => console.log(l), err: (l) => console.error(l) }): Promise<number> {
  const [command, ...rest] = argv;
  const help = command !== undefined ? commandHelp[command] : undefined;
  if (help && (rest.includes('--help') || rest.includes('-h'))) {
    io.out(help);
    return exitCodes.ok;
  }
  try {
    switch (command) {
      case 'validate':
        return await validate(rest, io);
      case 'plan':
        return await plan(rest, io);
      case 'invalidate':
        return await guardInvalidate(rest, io, invalidate);
      case 'stats':
        return await statsCommand(rest, io);
      case 'inspect':
        return await inspectCommand(rest, io);
      case 'tags':
        return await tagsCommand(rest, io);
      case 'watch':
        return await watchCommand(rest, io);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(usage);
        return command === undefined ? 2 : 0;
      default:
        io.err(`cachetag: unknown command "${command}".\n${usage}`);
        return 2;
    }
  } catch (error) {
    io.err(`cachetag ${command}: ${error instanceof Error ? error.message : String(error)}`);
    return exitCodeOf(error);
  }
}

async function validate(args: readonly string[], io: Io): Promise<number> {
  // A sessionId function is assumed, as `plan` and codegen assume it: PRIVATE schemas validate as the README shows them.
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { session: { type: 'boolean', default: true }, 'no-session': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const schema = await loadSchema(positionals);
  const hasSessionId = !values['no-session'];
  const { directives, problems } = validateCacheDirectives(schema, { hasSessionId });
  if (problems.length > 0 && values.json) {
    io.out(JSON.stringify({ ok: false, problems }, null, 2));
    return exitCodes.failed;
  }
  if (problems.length > 0) {
    io.err(new CacheTagSchemaError(problems).message);
    if (!hasSessionId && problems.some((p) => p.message.includes('scope: PRIVATE) needs a sessionId')))
      io.err('cachetag validate: checked with --no-session, as if createCache had no sessionId function; without --no-session, scope: PRIVATE is accepted.');
    return 1;
  }
  const cachePlan = buildCachePlan(schema, directives);
  const cached = [...cachePlan.fields.values()].filter((f) => f.mode === 'cache').length;
  const mutations = [...cachePlan.fields.values()].filter((f) => f.mode === 'mutation').length;
  const entityTypes = [...directives.types.values()].filter((t) => t.keyFields).length;
  if (values.json) {
    io.out(
      JSON.stringify({ ok: true, problems: [], cachedFields: cached, mutationFields: mutations, listScopes: cachePlan.listScopes.size, entityTypes }, null, 2),
    );
    return exitCodes.ok;
  }
  io.out(`ok: ${cached} cached fields, ${mutations} mutation fields, ${cachePlan.listScopes.size} list scopes, ${entityTypes} entity types.`);
  return 0;
}

async function plan(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: { json: { type: 'boolean', default: false } }, allowPositionals: true });
  const schema = await loadSchema(positionals);
  const { directives, problems } = validateCacheDirectives(schema, { hasSessionId: true });
  if (problems.length > 0) {
    if (values.json) io.out(JSON.stringify({ ok: false, problems }, null, 2));
    else io.err(new CacheTagSchemaError(problems).message);
    return 1;
  }
  const cachePlan = buildCachePlan(schema, directives);
  const ancestry = privateAncestry(cachePlan);
  const rows = [...cachePlan.fields.values()].map((f) => {
    // What the engine keys by: a PUBLIC field below a PRIVATE one is keyed by session there.
    const below = f.mode === 'cache' && f.scope === 'PUBLIC' ? ancestry.get(f.coordinate) : undefined;
    const privateBelow = below?.below.length ? below.below : undefined;
    const scope = privateBelow && !below?.public ? 'PRIVATE' : f.scope;
    // Stricter than Apollo: PRIVATE through a possible type, or keyed by session when the selection reaches PRIVATE.
    const privateWhenSelecting = f.mode === 'cache' && f.scope === 'PUBLIC' ? privateReachedBelow(cachePlan, f) : [];
    return {
      ...planRow(f, scope),
      ...(f.privateBecause ? { privateBecause: f.privateBecause } : {}),
      ...(privateBelow ? { privateBelow } : {}),
      ...(privateWhenSelecting.length ? { privateWhenSelecting } : {}),
    };
  });
  if (values.json) {
    io.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  for (const row of rows) {
    const scope = !row.privateBelow
      ? row.scope
      : row.scope === 'PRIVATE'
        ? `PRIVATE (below ${row.privateBelow.join(', ')})`
        : `PUBLIC, PRIVATE below ${row.privateBelow.join(', ')}`;
    const details = [
      row.mode === 'cache' ? `maxAge ${row.maxAge}s ${scope}${row.privateBecause ? ` (${row.privateBecause})` : ''}` : 'mutation',
      row.privateWhenSelecting ? `keyed by session when selecting ${row.privateWhenSelecting.join(' ')}` : '',
      row.tags.length ? `tags ${row.tags.join(' ')}` : '',
      row.invalidates.length ? `invalidates ${row.invalidates.join(' ')}` : '',
      row.cacheNull ? 'caches null' : '',
      row.listScope ? `list scope [${row.listScope.join(', ')}]` : '',
    ].filter(Boolean);
    io.out(`${row.coordinate.padEnd(32)} ${details.join('; ')}`);
  }
  return 0;
}

function planRow(f: FieldPlan, scope: CacheScope) {
  return {
    coordinate: f.coordinate,
    mode: f.mode,
    ...(f.mode === 'cache' ? { maxAge: f.ttlMs / 1000, scope } : {}),
    tags: f.tagTemplates.map((t) => t.format),
    invalidates: f.invalidates.map((t) => t.format),
    ...(f.cacheNull ? { cacheNull: true } : {}),
    ...(f.listScope ? { listScope: f.listScope.filters.map((x) => `${x.itemPath.join('.')}: ${x.source}.${x.sourcePath.join('.')}`) } : {}),
  };
}

/** Default `--timeout` of `cachetag invalidate`: how long to wait for the connection and Redis's acknowledgement, in ms. */
export const defaultInvalidateTimeoutMs = 5000;

async function invalidate(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      redis: { type: 'string' },
      cluster: { type: 'boolean', default: false },
      prefix: { type: 'string' },
      shards: { type: 'string' },
      timeout: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (!values.redis && !values.url) throw new Error('--redis <url> is required (redis://host:port/db), or --url <admin url> for a server mounting cacheAdmin.');
  if (positionals.length === 0) throw new Error('name at least one tag.');
  const timeoutMs = values.timeout === undefined ? defaultInvalidateTimeoutMs : Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 60_000)
    throw new Error(`--timeout must be a number of milliseconds from 1 to 60000; got "${values.timeout}".`);
  positionals.forEach((tag) => assertValidTag(tag));
  const tags = [...new Set(positionals)];
  const count = (n: number) => `${n} tag${n === 1 ? '' : 's'}`;
  if (values.url) {
    const answer = await adminRequest<{ error?: string }>(values, '/invalidate', { body: { tags }, accept: [502] });
    if (answer.status === 502) {
      io.err(`cachetag invalidate: the store did not acknowledge the invalidation (${answer.body.error ?? 'no answer'}).`);
      return exitCodes.failed;
    }
    io.out(`invalidated ${count(tags.length)} (acknowledged by the store): ${tags.join(' ')}`);
    return exitCodes.ok;
  }
  if (!values.redis) throw new Error('--redis <url> is required.');
  const { Redis, Cluster } = await import('ioredis');
  const { createRedisStore } = await import('../stores/redis/index.js');
  const url = new URL(values.redis);
  // Templates only: the store opens (and closes) its own connections.
  const client = values.cluster
    ? new Cluster([{ host: url.hostname, port: Number(url.port || 6379) }], { lazyConnect: true })
    : new Redis(values.redis, { lazyConnect: true });
  const store = createRedisStore({
    client,
    invalidateTimeoutMs: timeoutMs,
    // What `cachetag watch` shows as the invalidation's source.
    source: 'cachetag-cli',
    ...(values.prefix ? { prefix: values.prefix } : {}),
    ...(values.shards !== undefined ? { shards: Number(values.shards) } : {}),
    // A failed invalidation is reported below; close() would only repeat it.
    onError: (error, operation) => {
      if (operation !== 'close') io.err(`cachetag invalidate: ${error.message}`);
    },
  });
  try {
    await store.invalidate(tags);
    io.out(`invalidated ${count(tags.length)} (acknowledged by Redis): ${tags.join(' ')}`);
    return exitCodes.ok;
  } catch (error) {
    if (!isUnacknowledgedInvalidation(error)) throw error;
    const why = error.cause instanceof Error ? error.cause.message.replace(/^Redis store: /, '').replace(/\.$/, '') : 'no answer';
    const done = tags.length - error.tags.length;
    io.err(
      `cachetag invalidate: Redis did not acknowledge the invalidation of ${count(error.tags.length)} within ${timeoutMs} ms (${why}); ` +
        (done === 0 ? 'nothing was invalidated.' : `${count(done)} of ${tags.length} were invalidated; not acknowledged: ${error.tags.join(' ')}.`),
    );
    return exitCodes.failed;
  } finally {
    await store.close();
    client.disconnect();
  }
}

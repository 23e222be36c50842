/**
 * The operator commands against real Redis with real entries: a cache on the Redis store fills entries through a
 * schema, then `stats`, `inspect`, `tags`, `watch` and `invalidate --dry-run` / confirmation read them back.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { runCli } from '../../../src/cli/run.js';
import { guardInvalidate } from '../../../src/cli/invalidateGuard.js';
import { watchCommand } from '../../../src/cli/watch.js';
import { createRedisStore } from '../../../src/stores/redis/index.js';
import { connectOrSkip, deletePrefix, onCleanup, uniquePrefix } from '../../helpers/redis.js';
import { assertNoErrors, createHarness } from '../../helpers/schema.js';

const typeDefs = /* GraphQL */ `
  type Product @cacheControl(maxAge: 60) {
    id: ID!
    name: String!
  }
  type Query {
    product(id: ID!): Product
    products: [Product!]! @cacheControl(maxAge: 30) @cacheTag(format: "Catalog:all")
  }
`;

async function filled(t: TestContext) {
  const redis = await connectOrSkip(t);
  if (!redis) return undefined;
  const prefix = uniquePrefix('cli');
  const store = createRedisStore({ client: redis.template(), prefix });
  onCleanup(t, async () => {
    await store.close();
    await deletePrefix(redis.admin, prefix);
  });
  assert.ok(await store.whenConnected());
  const products = [
    { id: '1', name: 'Lamp' },
    { id: '2', name: 'Desk' },
  ];
  const h = createHarness(
    typeDefs,
    { Query: { product: (_: unknown, { id }: { id: string }) => products.find((p) => p.id === id), products: () => products } },
    { store },
  );
  assertNoErrors(await h.run('{ a: product(id: "1") { name } b: product(id: "2") { name } products { id } }'));
  const url = `redis://127.0.0.1:${redis.port}`;
  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  return { h, store, prefix, url, cli, redis };
}

test('stats counts the entries under the prefix by coordinate, with the sequence; --json parses', async (t) => {
  const f = await filled(t);
  if (!f) return;
  const json = await f.cli('stats', '--redis', f.url, '--prefix', f.prefix, '--json');
  assert.equal(json.code, 0, json.err);
  const { store: stats } = JSON.parse(json.out) as {
    store: { entries: number; fresh: number; stale: number; bytes: number; topCoordinates: { coordinate: string; entries: number }[] };
  };
  assert.equal(stats.entries, 3);
  assert.equal(stats.fresh, 3);
  assert.ok(stats.bytes > 0);
  assert.deepEqual(
    stats.topCoordinates.map((c) => [c.coordinate, c.entries]),
    [
      ['Query.product', 2],
      ['Query.products', 1],
    ],
  );
  await f.store.invalidate(['Product:1']);
  const text = await f.cli('stats', '--redis', f.url, '--prefix', f.prefix);
  assert.match(
    text.out,
    new RegExp(
      `^prefix ${f.prefix}: 3 entries \\(1 fresh, 2 stale\\), \\d+ bytes\\ninvalidation sequence: shard 0 \\d+\\ntop coordinates by entries:\\n  Query\\.product +2 entries`,
      'm',
    ),
  );
});

test('inspect lists the entries of a coordinate with tags, TTL, size and freshness; one key by its name', async (t) => {
  const f = await filled(t);
  if (!f) return;
  await f.store.invalidate(['Product:2']);
  const json = await f.cli('inspect', '--redis', f.url, '--prefix', f.prefix, 'Query.product', '--json');
  assert.equal(json.code, 0, json.err);
  const entries = JSON.parse(json.out) as { key: string; tags: string[]; fresh: boolean; staleBecause?: string; ttlMs: number; bytes: number }[];
  assert.equal(entries.length, 2);
  const byTag = (tag: string) => entries.find((e) => e.tags.includes(tag))!;
  assert.deepEqual([byTag('Product:1').fresh, byTag('Product:2').fresh], [true, false]);
  assert.equal(byTag('Product:2').staleBecause, 'Product:2 was invalidated after the fill');
  assert.ok(byTag('Product:1').ttlMs > 50_000 && byTag('Product:1').ttlMs <= 60_000);
  const one = await f.cli('inspect', '--redis', f.url, '--prefix', f.prefix, byTag('Product:1').key);
  assert.equal(one.code, 0);
  assert.match(one.out, /\n {2}fresh; age \d+\.\ds; ttl \d+\.\ds; \d+ bytes\n {2}tags: Product Product:1$/);
  // The fill time is stored with the entry: the age is how long ago this test filled it.
  const age = byTag('Product:1') as { ageMs?: number };
  assert.ok(age.ageMs !== undefined && age.ageMs >= 0 && age.ageMs < 60_000 - byTag('Product:1').ttlMs + 1000, JSON.stringify(age));
  const none = await f.cli('inspect', '--redis', f.url, '--prefix', f.prefix, 'Query.product:nope');
  assert.deepEqual([none.code, none.out], [1, 'no entry under Query.product:nope.']);
});

test('tags shows the record of a tag and of its ancestors, and a missing one', async (t) => {
  const f = await filled(t);
  if (!f) return;
  const seq = await f.store.invalidate(['Catalog:all']);
  const json = await f.cli('tags', '--redis', f.url, '--prefix', f.prefix, 'Catalog:all', 'Nothing:here', '--json');
  assert.equal(json.code, 0, json.err);
  const states = JSON.parse(json.out) as Record<string, { tag: string; state: string; version?: number }[]>;
  assert.deepEqual(
    states['Catalog:all']!.map((s) => [s.tag, s.state]),
    [
      ['Catalog', 'recorded'],
      ['Catalog:all', 'recorded'],
    ],
  );
  assert.equal(String(states['Catalog:all']![1]!.version), String(seq).split(':').at(-1));
  assert.deepEqual(
    states['Nothing:here']!.map((s) => s.state),
    ['missing', 'missing'],
  );
  const text = await f.cli('tags', '--redis', f.url, '--prefix', f.prefix, 'Nothing:here');
  assert.match(text.out, /^Nothing +missing \(shard 0, sequence \d+\): entries carrying it read as stale$/m);
});

test('watch prints every acknowledged invalidation with its tags, time and source, from any process; --tag filters', async (t) => {
  const f = await filled(t);
  if (!f) return;
  const other = createRedisStore({ client: f.redis.template(), prefix: f.prefix, source: 'shop-2' });
  onCleanup(t, () => other.close());
  assert.ok(await other.whenConnected());
  const watch = (...extra: string[]) => {
    const out: string[] = [];
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const done = watchCommand(['--redis', f.url, '--prefix', f.prefix, ...extra], {
      // The first line is printed once subscribed (text), or is the first event (--json, opened at once after subscribing).
      out: (l) => (out.push(l), opened()),
      err: (l) => out.push(l),
    });
    return { out, open, done };
  };
  const all = watch('--count', '3');
  const filtered = watch('--count', '2', '--tag', 'Product:1:reviews');
  await Promise.all([all.open, filtered.open]);
  const started = Date.now();
  await f.store.invalidate(['Product:1']);
  await other.invalidate(['Product:2']);
  assert.equal((await f.cli('invalidate', '--redis', f.url, '--prefix', f.prefix, 'Product:3', 'Product')).code, 3, 'Product is broad');
  assert.equal((await f.cli('invalidate', '--redis', f.url, '--prefix', f.prefix, '--yes', 'Product')).code, 0);
  assert.equal(await all.done, 0);
  assert.equal(all.out[0], `watching ${f.prefix} (${f.prefix}:invalidations); Ctrl-C to stop`);
  const lines = all.out.slice(1).map((l) => /^(\S+) (.+)  from (\S+) \(shard 0, sequence (\d+)\)$/.exec(l));
  assert.ok(lines.every(Boolean), all.out.join('\n'));
  assert.deepEqual(
    lines.map((m) => [m![2], m![3]]),
    [
      ['Product:1', lines[0]![3]],
      ['Product:2', 'shop-2'],
      ['Product', 'cachetag-cli'],
    ],
  );
  for (const m of lines) assert.ok(Math.abs(Date.parse(m![1]!) - started) < 60_000, m![1]);
  assert.deepEqual(
    lines.map((m) => Number(m![4]) - Number(lines[0]![4])),
    [0, 1, 2],
    'one sequence step each',
  );
  // Product:1 and Product reach Product:1:reviews; Product:2 does not.
  assert.equal(await filtered.done, 0);
  assert.deepEqual(
    filtered.out.slice(1).map((l) => /^\S+ (\S+) /.exec(l)![1]),
    ['Product:1', 'Product'],
  );
});

test('watch --json prints one JSON object per invalidation', async (t) => {
  const f = await filled(t);
  if (!f) return;
  const out: string[] = [];
  let finished = false;
  const done = watchCommand(['--redis', f.url, '--prefix', f.prefix, '--json', '--count', '2'], { out: (l) => out.push(l), err: (l) => out.push(l) }).finally(
    () => (finished = true),
  );
  // --json prints no banner: invalidate until the watcher has printed two lines (invalidations made before it
  // subscribed show up as one "missed" line, after which each is an "invalidation" line).
  for (let i = 0; !finished && i < 200; i++) {
    await f.store.invalidate([`Product:${i}`]);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.equal(await done, 0);
  const events = out.map((l) => JSON.parse(l) as { kind: string; tags: string[]; source: string; shard: number; sequence: number; time: string });
  const event = events.find((e) => e.kind === 'invalidation')!;
  assert.ok(
    events.every((e) => e.kind === 'invalidation' || e.kind === 'missed'),
    out.join('\n'),
  );
  assert.equal(event.kind, 'invalidation');
  assert.match(event.tags[0]!, /^Product:\d+$/);
  assert.equal(typeof event.source, 'string');
  assert.equal(event.shard, 0);
  assert.ok(Number.isInteger(event.sequence) && !Number.isNaN(Date.parse(event.time)));
});

test('invalidate --dry-run counts the entries carrying each tag and invalidates nothing', async (t) => {
  const f = await filled(t);
  if (!f) return;
  const before = await f.store.invalidate([]);
  const result = await f.cli('invalidate', '--redis', f.url, '--prefix', f.prefix, '--dry-run', '--json', 'Product', 'Product:1');
  assert.equal(result.code, 0, result.err);
  assert.deepEqual((JSON.parse(result.out) as { counts: unknown }).counts, [
    { tag: 'Product', entries: 3, fresh: 3 },
    { tag: 'Product:1', entries: 2, fresh: 2 },
  ]);
  assert.equal(String(await f.store.invalidate([])), String(before), 'the sequence did not move');
});

test('invalidate asks before a broad tag: refused without --yes (exit 3, nothing invalidated); confirmed or --yes goes on', async (t) => {
  const f = await filled(t);
  if (!f) return;
  const ran: string[][] = [];
  const inner = async (args: readonly string[]) => (ran.push([...args]), 0);
  const io = { out: () => {}, err: () => {} };
  const base = ['--redis', f.url, '--prefix', f.prefix];
  assert.equal(await guardInvalidate([...base, 'Product'], io, inner, async () => false), 3);
  assert.equal(await guardInvalidate([...base, 'Product:1'], io, inner, async () => false), 0, 'two segments need no confirmation');
  assert.equal(await guardInvalidate([...base, 'Product'], io, inner, async () => true), 0);
  assert.equal(await guardInvalidate([...base, '--yes', 'Product'], io, inner, async () => false), 0);
  assert.deepEqual(ran, [
    [...base, 'Product:1'],
    [...base, 'Product'],
    [...base, 'Product'],
  ]);
  // Without a terminal (as here) the CLI cannot ask: it refuses and says how to proceed.
  const refused = await f.cli('invalidate', ...base, 'Product');
  assert.equal(refused.code, 3);
  assert.match(refused.err, /not confirmed: Product would invalidate a whole type; add --yes/);
  const stats = JSON.parse((await f.cli('stats', ...base, '--json')).out) as { store: { fresh: number } };
  assert.equal(stats.store.fresh, 3, 'nothing was invalidated');
});

test('every command has --help, and usage mistakes exit 2', async () => {
  for (const command of ['validate', 'plan', 'invalidate', 'stats', 'inspect', 'tags', 'watch']) {
    const out: string[] = [];
    assert.equal(await runCli([command, '--help'], { out: (l) => out.push(l), err: () => {} }), 0);
    assert.match(out.join('\n'), new RegExp(`^Usage: cachetag ${command} `));
  }
  const err: string[] = [];
  assert.equal(await runCli(['stats', '--bogus'], { out: () => {}, err: (l) => err.push(l) }), 2);
  assert.equal(await runCli(['tags', '--redis', 'redis://127.0.0.1:1'], { out: () => {}, err: (l) => err.push(l) }), 2);
  assert.equal(await runCli(['validate'], { out: () => {}, err: (l) => err.push(l) }), 2);
});

test('a command against an unreachable Redis fails promptly with exit 1', async () => {
  const err: string[] = [];
  const started = Date.now();
  assert.equal(await runCli(['stats', '--redis', 'redis://127.0.0.1:1'], { out: () => {}, err: (l) => err.push(l) }), 1);
  assert.ok(Date.now() - started < 6000);
  assert.match(err.join('\n'), /could not connect to Redis at redis:\/\/127\.0\.0\.1:1/);
});

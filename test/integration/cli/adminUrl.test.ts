/**
 * The CLI's --url target against the example server over real HTTP: its memory store is reached only through the
 * admin endpoints the shop mounts at /cachetag (cacheAdmin): stats, inspect (with age), tags, invalidate, watch.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { createShop } from '../../../schema-examples/shop/app.js';
import { ShopData } from '../../../schema-examples/shop/data.js';
import { createMemoryStore } from '../../../src/index.js';
import { runCli } from '../../../src/cli/run.js';
import { watchCommand } from '../../../src/cli/watch.js';

async function shopServer(t: TestContext, admin?: { token: string }) {
  const shop = await createShop({ db: new ShopData({ latencyMs: 0 }), cache: { store: createMemoryStore() }, ...(admin ? { admin } : {}) });
  const { port } = await shop.listen(0);
  t.after(() => shop.stop());
  const base = `http://127.0.0.1:${port}`;
  const graphql = async (query: string) => {
    const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    assert.equal(response.status, 200);
    await shop.cache.idle();
  };
  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  return { shop, url: `${base}/cachetag`, graphql, cli };
}

test('stats, inspect, tags, invalidate and watch reach a memory store through the server with --url', async (t) => {
  const s = await shopServer(t);
  await s.graphql('{ product(id: 42) { name price } }');
  await s.graphql('{ product(id: 42) { name } }');

  const stats = await s.cli('stats', '--url', s.url, '--json');
  assert.equal(stats.code, 0, stats.err);
  const report = JSON.parse(stats.out) as { instance: { fields: { hits: number; misses: number } }; store: { entries: number } };
  const own = s.shop.cache.stats();
  assert.deepEqual(report.instance.fields, { hits: own.hits, misses: own.misses, bypasses: own.bypasses });
  assert.ok(own.hits >= 1 && own.misses >= 1, JSON.stringify(own));
  assert.equal(report.store.entries, (s.shop.cache.store as ReturnType<typeof createMemoryStore>).size);

  const inspect = await s.cli('inspect', '--url', s.url, 'Query.product', '--json');
  assert.equal(inspect.code, 0, inspect.err);
  const [entry, ...others] = JSON.parse(inspect.out) as { key: string; tags: string[]; ageMs: number; ttlMs: number; fresh: boolean }[];
  assert.equal(others.length, 0);
  assert.ok(entry!.tags.includes('Product:42'));
  assert.equal(entry!.fresh, true);
  assert.ok(entry!.ageMs >= 0 && entry!.ageMs < 60_000 && entry!.ttlMs > 0, JSON.stringify(entry));

  const before = await s.cli('tags', '--url', s.url, 'Product:42');
  assert.equal(before.code, 0, before.err);
  assert.match(before.out, /^Product:42 +never invalidated/m);

  const watched: string[] = [];
  let opened!: () => void;
  const watching = new Promise<void>((resolve) => (opened = resolve));
  // The first line is printed once the stream is open, when the server already holds the listener.
  const watch = watchCommand(['--url', s.url, '--count', '1'], {
    out: (l) => {
      watched.push(l);
      opened();
    },
    err: (l) => watched.push(l),
  });
  await watching;

  const invalidated = await s.cli('invalidate', '--url', s.url, 'Product:42');
  assert.equal(invalidated.code, 0, invalidated.err);
  assert.equal(invalidated.out, 'invalidated 1 tag (acknowledged by the store): Product:42');
  assert.equal(await watch, 0);
  assert.equal(watched[0], `watching ${s.url}; Ctrl-C to stop`);
  assert.match(watched[1]!, /^\d{4}-\d\d-\d\dT\S+Z Product:42 \(api\)$/);
  assert.equal(watched.length, 2);

  const after = JSON.parse((await s.cli('tags', '--url', s.url, 'Product:42', '--json')).out) as Record<
    string,
    { tag: string; state: string; version?: number }[]
  >;
  assert.deepEqual(after['Product:42'], [
    { tag: 'Product', state: 'missing' },
    { tag: 'Product:42', state: 'recorded', version: 1 },
  ]);
  const stale = JSON.parse((await s.cli('inspect', '--url', s.url, entry!.key, '--json')).out) as { fresh: boolean; staleBecause: string }[];
  assert.deepEqual(
    stale.map((e) => [e.fresh, e.staleBecause]),
    [[false, 'Product:42 was invalidated after the fill']],
  );
  const dry = JSON.parse((await s.cli('invalidate', '--url', s.url, '--dry-run', '--json', 'Product:42')).out) as { counts: unknown };
  const carrying = (s.shop.cache.store as ReturnType<typeof createMemoryStore>).inspect().filter((e) => e.tags.includes('Product:42'));
  assert.ok(carrying.length >= 1);
  assert.deepEqual(dry.counts, [{ tag: 'Product:42', entries: carrying.length, fresh: 0 }]);
});

test('with a token, the admin endpoints answer only requests that carry it', async (t) => {
  const s = await shopServer(t, { token: 'secret-token-1' });
  const refused = await s.cli('stats', '--url', s.url);
  assert.equal(refused.code, 1);
  assert.match(refused.err, /answered 401: a valid Authorization: Bearer <token> is required/);
  assert.equal((await s.cli('stats', '--url', s.url, '--token', 'wrong-token-2')).code, 1);
  const allowed = await s.cli('stats', '--url', s.url, '--token', 'secret-token-1');
  assert.equal(allowed.code, 0, allowed.err);
  assert.match(allowed.out, /^since start, 1 instance: field hit ratio no lookups/);
  const wrongMethod = await fetch(`${s.url}/invalidate`, { headers: { authorization: 'Bearer secret-token-1' } });
  assert.equal(wrongMethod.status, 405);
});

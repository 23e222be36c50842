/**
 * The CLI on PRIVATE fields: `validate` assumes a sessionId function (as `plan` and codegen do), so the shop example
 * validates as the README shows; `--no-session` checks without one and says so; `plan` shows fields below a PRIVATE
 * field as keyed by session, since the engine keys them so.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../src/cli/run.js';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('validate accepts the shop example (it uses PRIVATE) as the README shows it', async () => {
  const result = await cli('validate', 'schema-examples/shop/schema.graphql');
  assert.equal(result.err, '');
  assert.equal(result.code, 0);
  assert.match(result.out, /^ok: /);
});

test('validate --no-session rejects PRIVATE and names the flag that decides it', async () => {
  const result = await cli('validate', 'schema-examples/shop/schema.graphql', '--no-session');
  assert.equal(result.code, 1);
  assert.match(result.err, /Query\.me: @cacheControl\(scope: PRIVATE\) needs a sessionId function/);
  assert.match(result.err, /checked with --no-session, as if createCache had no sessionId function; without --no-session, scope: PRIVATE is accepted\.$/);
});

test('plan shows a field reached only below a PRIVATE field as PRIVATE, and one reached both ways as both', async () => {
  const text = await cli('plan', 'schema-examples/shop/schema.graphql');
  assert.equal(text.code, 0);
  const line = (coordinate: string) => text.out.split('\n').find((l) => l.startsWith(`${coordinate} `));
  assert.match(line('Customer.favoriteProducts')!, / maxAge 120s PRIVATE \(below Query\.me\)$/);
  assert.match(line('Product.reviews')!, / maxAge 60s PUBLIC, PRIVATE below Query\.me;/);
  assert.match(line('Query.me')!, / maxAge 60s PRIVATE$/);
  assert.match(line('Query.products')!, / maxAge 60s PUBLIC;/);

  const json = await cli('plan', 'schema-examples/shop/schema.graphql', '--json');
  const rows = JSON.parse(json.out) as { coordinate: string; scope?: string; privateBelow?: string[] }[];
  const row = (coordinate: string) => rows.find((r) => r.coordinate === coordinate)!;
  assert.deepEqual([row('Customer.favoriteProducts').scope, row('Customer.favoriteProducts').privateBelow], ['PRIVATE', ['Query.me']]);
  assert.deepEqual([row('Product.reviews').scope, row('Product.reviews').privateBelow], ['PUBLIC', ['Query.me']]);
  assert.deepEqual([row('Query.products').scope, row('Query.products').privateBelow], ['PUBLIC', undefined]);
});

test('validate --json and plan --json print the problems as JSON', async () => {
  const ok = await cli('validate', 'schema-examples/shop/schema.graphql', '--json');
  assert.equal(ok.code, 0);
  assert.deepEqual(JSON.parse(ok.out), { ok: true, problems: [], cachedFields: 13, mutationFields: 5, listScopes: 0, entityTypes: 5 });
  const bad = await cli('validate', 'schema-examples/shop/schema.graphql', '--no-session', '--json');
  assert.equal(bad.code, 1);
  const parsed = JSON.parse(bad.out) as { ok: boolean; problems: { coordinate: string; directive: string }[] };
  assert.deepEqual([parsed.ok, parsed.problems.map((p) => `${p.coordinate} @${p.directive}`)], [false, ['Query.me @cacheControl']]);
});

import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/run.js';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('validate: ok for the examples, with counts', async () => {
  assert.deepEqual(await cli('validate', 'schema-examples/articles/schema.graphql'), {
    code: 0,
    out: 'ok: 6 cached fields, 3 mutation fields, 3 list scopes, 2 entity types.',
    err: '',
  });
  assert.equal((await cli('validate', 'schema-examples/shop/schema.graphql', '--session')).code, 0);
});

test('validate: every problem, located in its file, and exit code 1', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cachetag-cli-'));
  const file = join(dir, 'bad.graphql');
  await writeFile(file, 'type Query {\n  a(id: ID): Int @cacheControl(maxAge: -1) @cacheTag(format: "A:{$args.idd}")\n}\n');
  const result = await cli('validate', file);
  assert.equal(result.code, 1);
  assert.equal(
    result.err,
    "cachetag found 2 problems in the schema's cache directives:\n" +
      `  - Query.a: @cacheControl(maxAge:) must be a whole number of seconds >= 0; received -1. (${file}, line 2, column 18)\n` +
      `  - Query.a: @cacheTag(format: "A:{$args.idd}") references argument "idd", which Query.a does not have; expected one of "id". Did you mean "id"? (${file}, line 2, column 44)`,
  );
});

test('plan prints the policy of every cached and mutation field', async () => {
  const { code, out } = await cli('plan', 'schema-examples/articles/schema.graphql', '--json');
  assert.equal(code, 0);
  const rows = JSON.parse(out) as { coordinate: string }[];
  assert.deepEqual(
    rows.find((r) => r.coordinate === 'Author.articles'),
    {
      coordinate: 'Author.articles',
      mode: 'cache',
      maxAge: 300,
      scope: 'PUBLIC',
      tags: [],
      invalidates: [],
      listScope: ['authorId: $parent.id', 'published: $args.published'],
    },
  );
});

test('usage errors', async () => {
  assert.equal((await cli('frobnicate')).code, 2);
  assert.match((await cli('validate')).err, /name at least one SDL file/);
  assert.match((await cli('invalidate', 'Product:1')).err, /--redis <url> is required/);
  assert.match((await cli('invalidate', '--redis', 'redis://127.0.0.1:6379', 'Product::1')).err, /Invalid tag "Product::1"/);
});

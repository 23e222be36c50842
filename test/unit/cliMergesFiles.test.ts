/** The CLI merges type definitions repeated across files as graphql-tools (and so Apollo Server) does. */
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

async function files() {
  const dir = await mkdtemp(join(tmpdir(), 'cachetag-merge-'));
  const a = join(dir, 'a.graphql');
  const b = join(dir, 'b.graphql');
  await writeFile(a, 'type Product {\n  id: ID!\n}\ntype Query {\n  product(id: ID!): Product @cacheControl(maxAge: 60)\n}\n');
  await writeFile(b, 'type Query {\n  products(storeId: ID!): [Product!]! @cacheControl(maxAge: 60) @cacheTag(format: "Store:{$args.storId}")\n}\n');
  return { a, b };
}

test('validate sees the fields of a type defined in several files, and reports the problem in the second one', async () => {
  const { a, b } = await files();
  const result = await cli('validate', b, a);
  assert.equal(result.code, 1);
  assert.equal(
    result.err,
    "cachetag found 1 problem in the schema's cache directives:\n" +
      `  - Query.products: @cacheTag(format: "Store:{$args.storId}") references argument "storId", which Query.products does not have; expected one of "storeId". Did you mean "storeId"? (${b}, line 2, column 65)`,
  );
});

test('plan lists the fields of every file', async () => {
  const { a } = await files();
  const dir = await mkdtemp(join(tmpdir(), 'cachetag-merge-'));
  const c = join(dir, 'c.graphql');
  await writeFile(c, 'type Query {\n  products(storeId: ID!): [Product!]! @cacheControl(maxAge: 60) @cacheTag(format: "Store:{$args.storeId}")\n}\n');
  const result = await cli('plan', c, a, '--json');
  assert.equal(result.code, 0, result.err);
  assert.deepEqual((JSON.parse(result.out) as { coordinate: string }[]).map((r) => r.coordinate).sort(), ['Query.product', 'Query.products']);
});

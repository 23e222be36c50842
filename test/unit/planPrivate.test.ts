/** `cachetag plan` shows which cached fields are PRIVATE through a possible type, and which become so by their selection. */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/run.js';

const sdl = /* GraphQL */ `
  interface Node {
    id: ID!
  }
  type Secret implements Node @cacheControl(maxAge: 60, scope: PRIVATE) {
    id: ID!
    owner: String!
  }
  type Open implements Node @cacheControl(maxAge: 60) {
    id: ID!
    title: String!
  }
  union Thing = Secret | Open
  type Product {
    id: ID!
    myRating: Int @cacheControl(scope: PRIVATE)
  }
  type Query {
    node(id: ID!): Node @cacheControl(maxAge: 60)
    thing(id: ID!): Thing @cacheControl(maxAge: 60)
    product(id: ID!): Product @cacheControl(maxAge: 60)
    open(id: ID!): Open @cacheControl(maxAge: 60)
  }
`;

async function plan(...flags: string[]) {
  const file = join(await mkdtemp(join(tmpdir(), 'cachetag-plan-')), 'schema.graphql');
  await writeFile(file, sdl);
  const out: string[] = [];
  const code = await runCli(['plan', file, ...flags], { out: (l) => out.push(l), err: (l) => out.push(l) });
  return { code, out: out.join('\n') };
}

test('plan: a field whose interface or union can be a PRIVATE type is PRIVATE, and says why', async () => {
  const { code, out } = await plan();
  assert.equal(code, 0);
  assert.match(out, /^Query\.node\s+maxAge 60s PRIVATE \(Secret is PRIVATE\)$/m);
  assert.match(out, /^Query\.thing\s+maxAge 60s PRIVATE \(Secret is PRIVATE\)$/m);
  assert.match(out, /^Query\.product\s+maxAge 60s PUBLIC; keyed by session when selecting Product\.myRating$/m);
  assert.match(out, /^Query\.open\s+maxAge 60s PUBLIC$/m);
});

test('plan --json: the same, as fields', async () => {
  const rows = JSON.parse((await plan('--json')).out) as { coordinate: string; scope?: string; privateBecause?: string; privateWhenSelecting?: string[] }[];
  const node = rows.find((r) => r.coordinate === 'Query.node');
  assert.equal(node?.scope, 'PRIVATE');
  assert.equal(node?.privateBecause, 'Secret is PRIVATE');
  assert.deepEqual(rows.find((r) => r.coordinate === 'Query.product')?.privateWhenSelecting, ['Product.myRating']);
});

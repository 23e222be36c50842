/**
 * A Federation 2 subgraph names cachetag's directives through `@link`: namespaced (`@federation__cacheTag`),
 * imported and renamed (`@primaryKey`), or under another namespace (`@fed__key`). Each is read, never dropped.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../../src/cli/run.js';
import { assertNoErrors, createHarness } from '../../helpers/schema.js';

const linkDeclarations = /* GraphQL */ `
  directive @link(url: String!, as: String, import: [link__Import]) repeatable on SCHEMA
  scalar link__Import
`;

function shop(header: string, keyDirective: string, tagDirective: string) {
  const typeDefs = /* GraphQL */ `
    ${header}
    ${linkDeclarations}
    directive @${keyDirective}(fields: String!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
    directive @${tagDirective}(format: String!) repeatable on FIELD_DEFINITION | OBJECT
    type Product @${keyDirective}(fields: "sku") {
      id: ID!
      sku: ID!
      name: String!
    }
    type Query {
      products: [Product!]! @cacheControl(maxAge: 60) @${tagDirective}(format: "Catalog:products")
      product(sku: ID!): Product @cacheControl(maxAge: 60)
    }
    type Mutation {
      addProduct(sku: ID!, name: String!): Product @invalidates(format: "Catalog:products")
      renameProduct(sku: ID!, name: String!): Product
    }
  `;
  const calls = { products: 0, product: 0 };
  const products = [{ id: '1', sku: 'a', name: 'Lamp' }];
  const h = createHarness(typeDefs, {
    Query: {
      products: () => (calls.products++, products.map((p) => ({ ...p }))),
      product: (_: unknown, { sku }: { sku: string }) => (calls.product++, { ...products.find((p) => p.sku === sku) }),
    },
    Mutation: {
      addProduct: (_: unknown, { sku, name }: { sku: string; name: string }) => {
        const product = { id: String(products.length + 1), sku, name };
        products.push(product);
        return { ...product };
      },
      renameProduct: (_: unknown, { sku, name }: { sku: string; name: string }) => {
        const product = products.find((p) => p.sku === sku)!;
        product.name = name;
        return { ...product };
      },
    },
  });
  return { ...h, calls };
}

const fed = (args: string) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.12"${args})`;

test('@federation__cacheTag tags the list, so the mutation that invalidates it refreshes it', async () => {
  const h = shop(fed(', import: ["@key"]'), 'key', 'federation__cacheTag');
  assertNoErrors(await h.run('{ products { sku name } }'));
  assertNoErrors(await h.run('mutation { addProduct(sku: "b", name: "Desk") { sku } }'));
  const after = await h.run('{ products { sku name } }');
  assert.equal(h.calls.products, 2, 'the list was read again after the mutation');
  assert.deepEqual(
    (after.data?.products as { sku: string }[]).map((p) => p.sku),
    ['a', 'b'],
  );
});

for (const [what, header, keyDirective] of [
  ['@federation__key (nothing imported)', fed(''), 'federation__key'],
  ['@primaryKey (imported as a rename of @key)', fed(', import: [{ name: "@key", as: "@primaryKey" }]'), 'primaryKey'],
  ['@fed__key (the link namespaced as fed)', fed(', as: "fed"'), 'fed__key'],
] as const) {
  test(`${what} gives the entity its key fields`, async () => {
    const h = shop(header, keyDirective, 'cacheTag');
    assertNoErrors(await h.run('{ product(sku: "a") { name } }'));
    const tags = h.store.calls.set.flat().find((e) => e.key.startsWith('Query.product:'))?.tags;
    assert.deepEqual(tags, ['Product', 'Product:a'], 'keyed by sku, not by the id fallback');
    assertNoErrors(await h.run('mutation { renameProduct(sku: "a", name: "Desk lamp") { sku name } }'));
    const after = await h.run('{ product(sku: "a") { name } }');
    assert.deepEqual(JSON.parse(JSON.stringify(after.data)), { product: { name: 'Desk lamp' } });
    assert.equal(h.calls.product, 2);
  });
}

test("once Federation is linked, a plain @key that the link does not import is not Federation's key", async () => {
  const h = shop(fed(', import: [{ name: "@key", as: "@primaryKey" }]'), 'key', 'cacheTag');
  assertNoErrors(await h.run('{ product(sku: "a") { name } }'));
  assert.deepEqual(h.store.calls.set.flat().find((e) => e.key.startsWith('Query.product:'))?.tags, ['Product', 'Product:1']);
});

test('cachetag validate reports problems in linked directives under the names they are written with', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cachetag-link-'));
  const file = join(dir, 'subgraph.graphql');
  await writeFile(
    file,
    [
      fed(', import: [{ name: "@key", as: "@primaryKey" }]'),
      linkDeclarations,
      'directive @primaryKey(fields: String!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE',
      'directive @federation__cacheTag(format: String!) repeatable on FIELD_DEFINITION | OBJECT',
      'type Product @primaryKey(fields: "skuu") { sku: ID! }',
      'type Query { product(sku: ID!): Product @cacheControl(maxAge: 60) @federation__cacheTag(format: "P:{$args.skuu}") }',
      '',
    ].join('\n'),
  );
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['validate', file], { out: (l) => out.push(l), err: (l) => err.push(l) });
  assert.equal(code, 1);
  assert.equal(
    err.join('\n'),
    "cachetag found 2 problems in the schema's cache directives:\n" +
      `  - Product: @primaryKey(fields: "skuu") names field "skuu", which Product does not have; expected one of "sku". Did you mean "sku"? (${file}, line 8, column 14)\n` +
      `  - Query.product: @federation__cacheTag(format: "P:{$args.skuu}") references argument "skuu", which Query.product does not have; expected one of "sku". Did you mean "sku"? (${file}, line 9, column 67)`,
  );
});

test("Federation's default namespace is read even when the schema lost its @link (code-first, stripped SDL)", async () => {
  const h = shop('', 'federation__key', 'federation__cacheTag');
  assertNoErrors(await h.run('{ product(sku: "a") { name } products { sku } }'));
  const tagsOf = (prefix: string) => h.store.calls.set.flat().find((e) => e.key.startsWith(prefix))?.tags;
  assert.deepEqual(tagsOf('Query.product:'), ['Product', 'Product:a']);
  assert.deepEqual(tagsOf('Query.products:'), ['Catalog', 'Catalog:products', 'Product', 'Product:a']);
});

/**
 * Federation's own directive imports work unchanged in a subgraph built with the real @apollo/subgraph:
 * `@link(import: ["@key", "@cacheTag"])` (and renamed imports) are read by cachetag, and the subgraph composes into a
 * supergraph with its directives as they are.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { createSubgraphHarness, subgraphCacheControlTypeDefs, type SubgraphHarness } from '../../helpers/subgraph.js';

const resolvers = {
  Query: {
    topProducts: () => [{ id: '1', sku: 'sku-1', name: 'Table' }],
  },
  Product: {
    __resolveReference: (reference: { id?: string; sku?: string }) => ({ id: '1', sku: 'sku-1', name: 'Table', ...reference }),
  },
};

const entities = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Product {
        id
        name
      }
    }
  }
`;

async function compose(harness: SubgraphHarness): Promise<string> {
  const composer = new IntrospectAndCompose({ subgraphs: [{ name: 'products', url: harness.url! }] });
  const { supergraphSdl, cleanup } = await composer.initialize({
    update() {},
    async healthCheck() {},
    getDataSource: ({ url }) => new RemoteGraphQLDataSource({ url }),
  });
  await cleanup?.();
  return supergraphSdl;
}

test('@key and @cacheTag imported from Federation 2.12 are read, and the subgraph composes with them', async (t) => {
  const harness = await createSubgraphHarness(
    /* GraphQL */ `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.12", import: ["@key", "@cacheTag"])
      ${subgraphCacheControlTypeDefs}
      type Product @key(fields: "id") @cacheControl(maxAge: 60) @cacheTag(format: "product-{$key.id}") {
        id: ID!
        sku: String!
        name: String!
      }
      type Query {
        topProducts: [Product!]! @cacheControl(maxAge: 60) @cacheTag(format: "products")
      }
    `,
    resolvers,
    { listen: true },
  );
  t.after(() => harness.stop());
  await harness.run('{ topProducts { id name } }');
  await harness.run(entities, { representations: [{ __typename: 'Product', id: '1' }] });
  const tags = harness.store.calls.set.flat().map((entry) => entry.tags);
  assert.ok(tags[0]!.includes('products') && tags[0]!.includes('product-1') && tags[0]!.includes('Product:1'), JSON.stringify(tags));
  assert.ok(tags.some((entryTags) => entryTags.includes('product-1') && entryTags.includes('Product:1')));
  const supergraph = await compose(harness);
  assert.match(supergraph, /@link\(url: "https:\/\/specs\.apollo\.dev\/cacheTag\/v0\.1", for: EXECUTION\)/);
  assert.match(supergraph, /name: "federation__cacheTag", args: \{format: "product-\{\$key\.id\}"\}/);
});

test('renamed imports ({ name: "@key", as: "@primaryKey" }, { name: "@cacheTag", as: "@tagged" }) are read under their new names', async (t) => {
  const harness = await createSubgraphHarness(
    /* GraphQL */ `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.12", import: [{ name: "@key", as: "@primaryKey" }, { name: "@cacheTag", as: "@tagged" }])
      ${subgraphCacheControlTypeDefs}
      type Product @primaryKey(fields: "sku") @cacheControl(maxAge: 60) @tagged(format: "catalog") {
        id: ID!
        sku: String!
        name: String!
      }
      type Query {
        topProducts: [Product!]! @cacheControl(maxAge: 60)
      }
    `,
    resolvers,
    { listen: true },
  );
  t.after(() => harness.stop());
  const reps = { representations: [{ __typename: 'Product', sku: 'sku-1' }] };
  await harness.run(entities, reps);
  await harness.run(entities, reps);
  const stored = harness.store.calls.set.flat();
  assert.equal(stored.length, 1, 'the entity is cached by its renamed @key (sku), once');
  assert.ok(stored[0]!.tags.includes('Product:sku-1') && stored[0]!.tags.includes('catalog'), JSON.stringify(stored[0]!.tags));
  assert.match(await compose(harness), /join__type\(graph: PRODUCTS, key: "sku"\)/);
});

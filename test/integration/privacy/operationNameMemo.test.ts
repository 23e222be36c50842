/**
 * Issue 18 G: the per-document memos (operation-tier eligibility, static cache policy) remembered one result per
 * operation name a client sent, so new 10 KB names on one query grew the heap without bound. Only the names the
 * document defines are remembered now; every other name shares one result.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { createCache, staticCachePolicy } from '../../../src/index.js';
import { createApolloPlugin } from '../../../src/apollo/index.js';
import { analyzeOperation } from '../../../src/engine/operation/eligibility.js';
import { buildSchema } from '../../helpers/schema.js';

const typeDefs = /* GraphQL */ `
  type Query {
    product(id: ID!): Product @cacheControl(maxAge: 60)
  }
  type Product {
    id: ID!
  }
`;
const resolvers = { Query: { product: (_: unknown, { id }: { id: string }) => ({ id }) } };

test('4,000 requests of one query with new 10 KB operation names leave the memos at one result per defined name', async () => {
  const cache = createCache({});
  let document: DocumentNode | undefined;
  const grabDocument: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async didResolveOperation(context) {
          document ??= context.document;
        },
      };
    },
  };
  const schema = buildSchema(typeDefs, resolvers);
  const server = new ApolloServer({ schema, plugins: [createApolloPlugin(cache, { cacheControl: 'cachetag' }), grabDocument] });
  await server.start();
  try {
    const query = 'query Product { product(id: "1") { id } }';
    const known = await server.executeOperation({ query, operationName: 'Product' });
    assert.equal(known.body.kind === 'single' && known.body.singleResult.errors, undefined);
    const padding = 'x'.repeat(10 * 1024);
    for (let i = 0; i < 4000; i++) await server.executeOperation({ query, operationName: `Op${i}${padding}` });
    await server.executeOperation({ query });
    const plan = cache.planOf(schema)!;
    assert.ok(document);
    // "Product", every unknown name, and no name.
    assert.ok(analyzeOperation.resultsHeld(plan, document) <= 3, String(analyzeOperation.resultsHeld(plan, document)));
    assert.ok(staticCachePolicy.resultsHeld(plan, document) <= 3, String(staticCachePolicy.resultsHeld(plan, document)));
  } finally {
    await server.stop();
  }
});

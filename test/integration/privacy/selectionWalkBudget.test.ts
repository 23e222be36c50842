/**
 * Issue 18 F: the static selection walk (operation-tier eligibility, static cache policy, PRIVATE selections) was
 * exponential in fragments spread twice per level and in nested interfaces with many implementations. Each
 * (selection set, set of parent types) is now walked once, and a document past the step budget falls back to what
 * is safe: not eligible for the operation tier, no static policy (maxAge 0).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApolloServer } from '@apollo/server';
import { parse } from 'graphql';
import { createCache, staticCachePolicy } from '../../../src/index.js';
import { createApolloPlugin } from '../../../src/apollo/index.js';
import { analyzeOperation } from '../../../src/engine/operation/eligibility.js';
import { defaultSelectionBudget, SELECTION_TOO_COMPLEX, selectionWalkSteps } from '../../../src/engine/selection.js';
import { buildSchema } from '../../helpers/schema.js';

const implementations = Array.from({ length: 8 }, (_, i) => `type T${i} implements I { id: ID! next: I secret: Secret }`).join('\n');
const typeDefs = /* GraphQL */ `
  type Query {
    product: Product @cacheControl(maxAge: 60)
    i: I @cacheControl(maxAge: 60)
  }
  type Product {
    id: ID!
    name: String
  }
  interface I {
    id: ID!
    next: I
    secret: Secret
  }
  type Secret @cacheControl(scope: PRIVATE) {
    id: ID!
  }
  ${implementations}
`;
const chain = { __typename: 'T0', id: '1', next: null, secret: null };
const resolvers = {
  Query: { product: () => ({ id: 'p1', name: 'P' }), i: () => chain },
  I: { __resolveType: (value: { __typename: string }) => value.__typename },
};

// 22 levels of fragments, each spreading the previous one twice (~960 bytes): 2^22 walks of F0 without memoization.
const fragmentBomb = [
  '{ product { ...F21 } }',
  'fragment F0 on Product { id name }',
  ...Array.from({ length: 21 }, (_, i) => `fragment F${i + 1} on Product { ...F${i} ...F${i} }`),
].join('\n');
// Depth 7 through an interface with 8 implementations (99 bytes): 8^7 walks without memoization.
const interfaceBomb = '{ i { next { next { next { next { next { next { next { id secret { id } } } } } } } } } }';

async function stepsThroughApollo(query: string) {
  const cache = createCache({ sessionId: () => 'u' });
  const server = new ApolloServer({ schema: buildSchema(typeDefs, resolvers), plugins: [createApolloPlugin(cache, { cacheControl: 'cachetag' })] });
  await server.start();
  try {
    const before = selectionWalkSteps.count;
    const response = await server.executeOperation({ query });
    assert.equal(response.body.kind, 'single');
    if (response.body.kind === 'single') assert.equal(response.body.singleResult.errors, undefined, JSON.stringify(response.body.singleResult.errors));
    return selectionWalkSteps.count - before;
  } finally {
    await server.stop();
  }
}

test('fragments spread twice per level, 22 levels: the walks take a few hundred steps, not millions', async () => {
  assert.ok(fragmentBomb.length < 1000, String(fragmentBomb.length));
  const steps = await stepsThroughApollo(fragmentBomb);
  assert.ok(steps > 0 && steps < 300, `${steps} steps`);
});

test('depth 7 through an interface with 8 implementations: linear in the depth, not 8^7', async () => {
  assert.ok(interfaceBomb.length < 100, String(interfaceBomb.length));
  const steps = await stepsThroughApollo(interfaceBomb);
  assert.ok(steps > 0 && steps < 1000, `${steps} steps`);
});

test('the interface bomb still sees the PRIVATE type at its bottom', () => {
  const cache = createCache({ sessionId: () => 'u' });
  const plan = cache.instrumentSchema(buildSchema(typeDefs, resolvers));
  const eligibility = analyzeOperation(plan, parse(interfaceBomb), undefined);
  assert.deepEqual(eligibility, { eligible: true, private: true });
  assert.equal(staticCachePolicy(plan, parse(interfaceBomb), undefined)?.scope, 'PRIVATE');
});

test('past the step budget a document is not eligible for the operation tier and has no static policy', () => {
  const cache = createCache({ sessionId: () => 'u' });
  const plan = cache.instrumentSchema(buildSchema(typeDefs, resolvers));
  const wide = parse(`{ product { ${Array.from({ length: defaultSelectionBudget + 1 }, (_, i) => `a${i}: id`).join(' ')} } }`);
  assert.deepEqual(analyzeOperation(plan, wide, undefined), { eligible: false, reason: SELECTION_TOO_COMPLEX });
  assert.deepEqual(staticCachePolicy(plan, wide, undefined), { maxAge: 0, scope: 'PUBLIC' });
});

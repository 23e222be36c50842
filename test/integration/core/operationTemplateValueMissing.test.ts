/**
 * The operation tier and a scalar field whose own @cacheTag has no value at run time: the response is not stored
 * without that tag, and the missing value is reported as TEMPLATE_VALUE_MISSING through the cache's failure channel.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApolloServer } from '@apollo/server';
import { cacheDirectivesTypeDefs, createCache } from '../../../src/index.js';
import { createApolloPlugin } from '../../../src/apollo/index.js';

const typeDefs = /* GraphQL */ `
  type Query {
    book(id: ID!): Book
  }
  type Book @cacheControl(maxAge: 60) {
    id: ID!
    shelf: String
    onShelf: Int! @cacheTag(format: "Shelf:{$parent.shelf}")
  }
`;

test('a scalar whose @cacheTag has no value keeps the response out of the operation tier and is reported', async () => {
  const calls = { onShelf: 0 };
  const warnings: string[] = [];
  const cache = createCache({ logger: { warn: (m) => warnings.push(m) } });
  const apollo = new ApolloServer({
    typeDefs: [cacheDirectivesTypeDefs, typeDefs],
    resolvers: {
      Query: { book: (_: unknown, { id }: { id: string }) => ({ id, ...(id === '1' ? { shelf: 'A' } : {}) }) },
      Book: { onShelf: () => (calls.onShelf++, 3) },
    },
    plugins: [createApolloPlugin(cache, { debug: true })],
  });
  await apollo.start();
  const run = async (query: string) => {
    const response = await apollo.executeOperation({ query });
    await cache.idle();
    const result = (response.body as { singleResult: { errors?: unknown; extensions?: { cachetag?: { operation?: { outcome: string } } } } }).singleResult;
    assert.equal(result.errors, undefined);
    return result.extensions?.cachetag?.operation?.outcome;
  };
  // With the value, the response is stored (the control).
  await run('{ book(id: "1") { onShelf } }');
  assert.equal(await run('{ book(id: "1") { onShelf } }'), 'hit');
  // Without it, never stored: every request executes.
  for (let i = 0; i < 3; i++) assert.notEqual(await run('{ book(id: "2") { onShelf } }'), 'hit');
  // (Query.book itself is cached in the field tier; the scalar runs whenever the operation executes.)
  assert.equal(calls.onShelf, 4);
  assert.equal(cache.stats().errors.TEMPLATE_VALUE_MISSING, 3);
  assert.equal(warnings.filter((w) => w.includes('TEMPLATE_VALUE_MISSING')).length, 1, JSON.stringify(warnings));
  assert.match(
    warnings.find((w) => w.includes('TEMPLATE_VALUE_MISSING'))!,
    /Book\.onShelf: @cacheTag\(format: "Shelf:\{\$parent\.shelf\}"\) has no value for \{\$parent\.shelf\}/,
  );
  await apollo.stop();
});

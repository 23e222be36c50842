/**
 * A `@cacheTag` template whose value is missing at run time (`{$args.x}` absent or null, `{$parent.x}` missing):
 * reported as TEMPLATE_VALUE_MISSING naming the field and the template through the cache's failure channel (thrown
 * in strict mode), and the result is never cached without that dependency.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execute, parse } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { CacheTagError, cacheDirectivesTypeDefs, createCache, createMemoryStore } from '../../src/index.js';
import { countingStore } from '../helpers/countingStore.js';

function setup(strict: boolean) {
  const calls = { products: 0, price: 0 };
  const schema = makeExecutableSchema({
    typeDefs: [
      cacheDirectivesTypeDefs,
      /* GraphQL */ `
        type Product {
          id: ID!
          storeId: ID
          price: Int @cacheControl(maxAge: 60) @cacheTag(format: "Store:{$parent.storeId}:prices")
        }
        type Query {
          products(storeId: ID): [Product!]! @cacheControl(maxAge: 60) @cacheTag(format: "Store:{$args.storeId}:products")
        }
      `,
    ],
    resolvers: {
      Query: { products: (_: unknown, { storeId }: { storeId?: string | null }) => (calls.products++, [{ id: '1', ...(storeId ? { storeId } : {}) }]) },
      Product: { price: () => (calls.price++, 10) },
    },
  });
  const store = countingStore(createMemoryStore());
  const warnings: string[] = [];
  const cache = createCache({ store, strict, logger: { warn: (m) => warnings.push(m) } });
  cache.instrumentSchema(schema);
  const run = async (source: string) => {
    const result = await execute({ schema, document: parse(source), contextValue: {} });
    await cache.idle();
    return result;
  };
  return { cache, calls, store, warnings, run };
}

test('an absent or null argument: reported once per field and template, counted, and never cached', async () => {
  const { cache, calls, store, warnings, run } = setup(false);
  for (const query of ['{ products { id } }', '{ products(storeId: null) { id } }', '{ products { id } }']) {
    const result = await run(query);
    assert.equal(result.errors, undefined);
    assert.deepEqual(JSON.parse(JSON.stringify(result.data)), { products: [{ id: '1' }] });
  }
  assert.equal(calls.products, 3, 'the resolver ran every time: nothing was served from the cache');
  assert.equal(store.calls.set.length, 0, 'nothing was written without the tag it should carry');
  assert.equal(cache.stats().errors.TEMPLATE_VALUE_MISSING, 3);
  assert.equal(warnings.length, 1, JSON.stringify(warnings));
  assert.match(
    warnings[0]!,
    /TEMPLATE_VALUE_MISSING.*Query\.products: @cacheTag\(format: "Store:\{\$args\.storeId\}:products"\) has no value for \{\$args\.storeId\}/,
  );
});

test('a missing parent value: the same, and the field is not cached', async () => {
  const { cache, calls, store, run } = setup(false);
  await run('{ products(storeId: "") { price } }');
  await run('{ products { price } }');
  assert.equal(calls.price, 2);
  assert.ok(
    store.calls.set.flat().every((entry) => !entry.key.includes('Product.price')),
    'no entry for Product.price',
  );
  assert.equal(cache.stats().errors.TEMPLATE_VALUE_MISSING, 4, 'Query.products and Product.price, twice each');
});

test('strict: the field fails with a CacheTagError TEMPLATE_VALUE_MISSING naming the type, field and template', async () => {
  const { store, run } = setup(true);
  const result = await run('{ products { id } }');
  assert.equal(result.errors?.length, 1);
  const error = result.errors![0]!.originalError;
  assert.ok(error instanceof CacheTagError, String(error));
  assert.equal(error.code, 'TEMPLATE_VALUE_MISSING');
  assert.match(error.message, /^Query\.products: @cacheTag\(format: "Store:\{\$args\.storeId\}:products"\) has no value for \{\$args\.storeId\}/);
  assert.equal(store.calls.set.length, 0);
});

test('with the value present the field is cached with its tag', async () => {
  const { calls, store, run } = setup(true);
  await run('{ products(storeId: "7") { id } }');
  await run('{ products(storeId: "7") { id } }');
  assert.equal(calls.products, 1);
  assert.ok(store.calls.set.flat().some((entry) => entry.tags.includes('Store:7:products')));
});

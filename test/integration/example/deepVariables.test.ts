/**
 * Variables nested 20,000 levels deep: with cachetag in front (the operation tier and the HTTP fast path), Apollo
 * answers exactly what it answers alone, and `storedResponse()` resolves undefined instead of overflowing the stack.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { createShop, shopTypeDefs, type Shop } from '../../../schema-examples/shop/app.js';
import { ShopData } from '../../../schema-examples/shop/data.js';
import { resolvers, type ShopContext } from '../../../schema-examples/shop/resolvers.js';
import { cacheDirectivesTypeDefs } from '../../../src/index.js';

let shop: Shop;
let alone: ApolloServer<ShopContext>;
before(async () => {
  shop = await createShop({ plugin: { debug: false } });
  alone = new ApolloServer<ShopContext>({ typeDefs: [cacheDirectivesTypeDefs, shopTypeDefs], resolvers });
  await alone.start();
});
after(async () => {
  await shop.stop();
  await alone.stop();
});

function deep(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

async function answer(server: ApolloServer<ShopContext>, body: unknown) {
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body },
    context: async () => ({ db: new ShopData() }),
  });
  return { status: response.status ?? 200, body: response.body.kind === 'complete' ? response.body.string : '' };
}

for (const [name, query] of [
  ['an unused variable', `{ product(id: "42") { name } }`],
  ['a declared variable', `query ($id: ID!) { product(id: $id) { name } }`],
] as const) {
  test(`${name} nested 20,000 levels deep is answered as Apollo answers it alone`, async () => {
    const body = { query, variables: { id: deep(20_000) } };
    // Warm the cache with a shallow request of the same query, so the deep one is looked up, not only executed.
    await answer(shop.apollo, { query, variables: { id: '42' } });
    const expected = await answer(alone, body);
    const actual = await answer(shop.apollo, body);
    assert.deepEqual(actual, expected);
    assert.equal(await shop.cache.storedResponse(body as { query: string; variables: unknown }), undefined);
  });
}

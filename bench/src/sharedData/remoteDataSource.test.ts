/**
 * The shared data server and its client agree with the local data source: same answers, writes through one client
 * seen by another, calls counted by the server, frozen records, unknown calls refused.
 * Run: cd bench && npm test
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createDataSource } from '../dataSource.js';
import { startDataServer, type DataServer } from './dataServer.js';
import { createRemoteDataSource, type RemoteDataSource } from './remoteDataSource.js';

let server: DataServer;
let one: RemoteDataSource;
let two: RemoteDataSource;

before(async () => {
  server = await startDataServer({ latencyMs: 0 });
  one = createRemoteDataSource(server.baseUrl);
  two = createRemoteDataSource(server.baseUrl);
});

after(async () => {
  await Promise.all([one.close(), two.close()]);
  await server.close();
});

test('reads answer what the local data source answers, unknown ids as null or empty', async () => {
  const local = createDataSource({ latencyMs: 0 });
  assert.deepEqual(await one.organizationsById(['1', '999']), await local.organizationsById(['1', '999']));
  assert.deepEqual(await one.storesById(['3', 'x']), await local.storesById(['3', 'x']));
  assert.deepEqual(await one.storesByOrganization(['2', '999']), await local.storesByOrganization(['2', '999']));
  assert.deepEqual(await one.productsById(['1', '4000', '4001']), await local.productsById(['1', '4000', '4001']));
  const queries = [
    { storeId: '7', category: 'books' },
    { storeId: '7', category: null },
  ];
  assert.deepEqual(await one.productsByStore(queries), await local.productsByStore(queries));
  assert.deepEqual(await one.reviewsByProduct(['5', '999']), await local.reviewsByProduct(['5', '999']));
});

test('a write through one client is read by another, and the server counts both', async () => {
  await fetch(`${server.baseUrl}/reset-stats`, { method: 'POST' });
  const updated = await one.updateProduct('12', { price: 123.45, name: null });
  assert.equal(updated?.price, 123.45);
  const review = await one.createReview('12', { rating: 4, body: 'shared', author: 'test' });
  const [product] = await two.productsById(['12']);
  assert.equal(product?.price, 123.45);
  assert.equal(product?.reviewCount, (await createDataSource({ latencyMs: 0 }).productsById(['12']))[0]!.reviewCount + 1);
  const [reviews] = await two.reviewsByProduct(['12']);
  assert.equal(reviews?.[0]?.id, review?.id);
  assert.deepEqual(await (await fetch(`${server.baseUrl}/stats`)).json(), { calls: 4, keys: 4 });
  assert.deepEqual(server.dataSource.stats, { calls: 4, keys: 4 });
});

test('answers are frozen, as the local records are', async () => {
  const [products = []] = await one.productsByStore([{ storeId: '1', category: null }]);
  assert.equal(products.length, 40);
  assert.ok(Object.isFrozen(products) && Object.isFrozen(products[0]));
  assert.throws(() => {
    (products[0] as { price: number }).price = 0;
  }, TypeError);
});

test('an unknown method is refused', async () => {
  const response = await fetch(`${server.baseUrl}/call`, { method: 'POST', body: JSON.stringify({ method: 'resetStats', args: [] }) });
  assert.equal(response.status, 400);
  assert.deepEqual(await response.json(), { error: 'unknown data-source call "resetStats"' });
});

/**
 * The example server on the in-memory store, on Redis and on a local Redis
 * Cluster: the same script of queries and mutations gives the same data and
 * the same cache outcomes on all three.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startExampleServer, type ExampleServer } from '../../helpers/exampleServer.js';
import { connectOrSkip, deletePrefix, onCleanup, uniquePrefix } from '../../helpers/redis.js';
import { clusterOrSkip } from '../../helpers/redisCluster.js';

const script = [
  `{ product(id: "42") { name price store { name } reviews { rating } } }`,
  `{ product(id: "42") { name price store { name } reviews { rating } } }`,
  `{ product(id: "42") { price reviews { rating } } }`,
  `mutation { updateProduct(id: "42", input: { price: 9.5 }) { id price } }`,
  `{ product(id: "42") { name price store { name } reviews { rating } } }`,
  `mutation { createReview(productId: "42", input: { rating: 5, body: "x" }) { id } }`,
  `{ product(id: "42") { name price store { name } reviews { rating } } }`,
  `{ products(storeId: "1") { id name } }`,
  `mutation { createProduct(input: { storeId: "1", name: "New", price: 1, category: "tea" }) { id } }`,
  `{ products(storeId: "1") { id name } }`,
  `{ organization(id: "1") { name stores { name products { name } } } }`,
  `mutation { updateOrganization(id: "1", input: { name: "Acme Inc" }) { id name } }`,
  `{ organization(id: "1") { name stores { name products { name } } } }`,
];

/** Data and cache outcomes of every step; keys differ per store only through nothing (they are store-independent). */
async function play(server: ExampleServer): Promise<unknown[]> {
  // A warm-up request on data the script never touches, so that a cold process's first requests are not the script's.
  for (let i = 0; i < 3; i++) await server.graphql(`{ store(id: "3") { name } }`);
  const transcript: unknown[] = [];
  for (const query of script) {
    const { body } = await server.graphql(query, { 'x-cachetag-debug': '1' });
    const cachetag = (
      body.extensions as { cachetag?: { operation?: { outcome: string; reason?: string }; fields: { path: string; outcome: string; reason?: string }[] } }
    )?.cachetag;
    transcript.push({
      query,
      data: body.data,
      errors: body.errors,
      operation: cachetag?.operation && `${cachetag.operation.outcome}${cachetag.operation.reason ? `:${cachetag.operation.reason}` : ''}`,
      fields: cachetag?.fields.map((f) => `${f.path}:${f.outcome}${f.reason ? `:${f.reason}` : ''}`).sort(),
    });
    // Fills are written off the response path: wait until they landed, so the next step's outcome does not depend on load.
    await server.idle();
  }
  return transcript;
}

// A read past its deadline fails open by design (a miss), which would make the transcripts differ: patient deadlines,
// so that the outcomes are the cache's, not a loaded machine's.
const patient = { REDIS_READ_TIMEOUT_MS: '5000', REDIS_WRITE_TIMEOUT_MS: '5000' };

test('memory, Redis and Redis Cluster answer the script identically', async (t) => {
  const memory = await startExampleServer();
  let expected: unknown[];
  try {
    expected = await play(memory);
  } finally {
    await memory.stop();
  }
  assert.match(memory.banner, /in-memory store/);

  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('example');
  onCleanup(t, () => deletePrefix(redis.admin, prefix));
  const onRedis = await startExampleServer({ ...patient, REDIS_URL: `redis://127.0.0.1:${redis.port}`, REDIS_PREFIX: prefix });
  try {
    assert.match(onRedis.banner, /Redis \(redis:\/\/127\.0\.0\.1/);
    assert.deepEqual(await play(onRedis), expected);
  } finally {
    await onRedis.stop();
  }

  const cluster = await clusterOrSkip(t);
  if (!cluster) return;
  const onCluster = await startExampleServer({ ...patient, REDIS_CLUSTER: cluster.nodes.map((n) => `127.0.0.1:${n.port}`).join(',') });
  try {
    assert.match(onCluster.banner, /Redis Cluster/);
    assert.deepEqual(await play(onCluster), expected);
  } finally {
    await onCluster.stop();
  }
});

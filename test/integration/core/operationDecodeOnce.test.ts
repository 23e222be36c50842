/**
 * Stored operation responses are decoded once per stored frame, not once per hit: the memory store hands out the same
 * frame on every hit, so the checksum, msgpack decoding and body copy are done once. Each hit through the server still
 * gets data objects of its own, and a refill after an invalidation (a new frame) is decoded and served fresh.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCodec, type Codec } from '../../../src/codec/codec.js';
import { startApollo } from '../../helpers/apolloHarness.js';

const typeDefs = /* GraphQL */ `
  type Query {
    product(id: ID!): Product @cacheControl(maxAge: 60)
  }
  type Mutation {
    rename(id: ID!, name: String!): Product @invalidates(format: "Product:{$args.id}")
  }
  type Product @cacheControl(maxAge: 60) {
    id: ID!
    name: String!
  }
`;

function countingCodec(): Codec & { decodes: number } {
  const codec = createCodec({ compressAboveBytes: Number.POSITIVE_INFINITY });
  const counting = {
    decodes: 0,
    encode: (value: unknown) => codec.encode(value),
    decode(frame: Uint8Array) {
      counting.decodes++;
      return codec.decode(frame);
    },
  };
  return counting;
}

test('a stored operation response is decoded once per stored frame, through the fast path and through the server', async (t) => {
  const codec = countingCodec();
  const names = new Map([['1', 'first']]);
  const h = await startApollo(
    typeDefs,
    {
      Query: { product: (_: unknown, { id }: { id: string }) => ({ id, name: names.get(id) }) },
      Mutation: {
        rename: (_: unknown, { id, name }: { id: string; name: string }) => {
          names.set(id, name);
          return { id, name };
        },
      },
    },
    { cache: { codec } },
  );
  t.after(() => h.stop());
  const query = 'query P($id: ID!) { product(id: $id) { id name } }';
  const request = { query, variables: { id: '1' } };
  assert.deepEqual((await h.run(query, { id: '1' })).data, { product: { id: '1', name: 'first' } });
  await h.cache.idle();

  const before = codec.decodes;
  const first = await h.cache.storedResponse(request);
  const second = await h.cache.storedResponse(request);
  assert.ok(first && second);
  assert.equal(second.body, '{"data":{"product":{"id":"1","name":"first"}}}\n');
  assert.equal(codec.decodes - before, 1, 'two fast-path hits on one frame decode it once');

  // Through Apollo: answered by the operation tier from the same frame, without decoding it again, each hit with
  // data objects of its own (a plugin changing one must not change the next).
  const one = await h.apollo.executeOperation({ query, variables: { id: '1' } }, { contextValue: {} });
  assert.equal(one.body.kind, 'single');
  const data = (one.body as unknown as { singleResult: { data: { product: { name: string } } } }).singleResult.data;
  data.product.name = 'changed by a plugin';
  assert.deepEqual((await h.run(query, { id: '1' })).data, { product: { id: '1', name: 'first' } });
  assert.equal(codec.decodes - before, 1, 'hits through the server reuse the decoded frame');
  assert.equal(h.cache.stats().operationHits, 4);

  // A mutation invalidates; the refill is a new frame: decoded once, and served with the new name.
  await h.run('mutation { rename(id: "1", name: "second") { id name } }');
  assert.deepEqual((await h.run(query, { id: '1' })).data, { product: { id: '1', name: 'second' } });
  await h.cache.idle();
  const afterRefill = codec.decodes;
  assert.equal((await h.cache.storedResponse(request))?.body, '{"data":{"product":{"id":"1","name":"second"}}}\n');
  assert.equal((await h.cache.storedResponse(request))?.body, '{"data":{"product":{"id":"1","name":"second"}}}\n');
  assert.equal(codec.decodes - afterRefill, 1);
});

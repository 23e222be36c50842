/**
 * Stored operation responses are decoded at most once per stored frame, not once per hit: the memory store hands out
 * the same frame on every hit, so the checksum, msgpack decoding and body copy are done once, and not at all for a
 * frame this process wrote (the memory store keeps the frame it was given). Each hit through the server still gets
 * data objects of its own, and a refill after an invalidation (a new frame) is served fresh.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCodec, type Codec } from '../../../src/codec/codec.js';
import { startApollo } from '../../helpers/apolloHarness.js';
import { createMemoryStore } from '../../../src/index.js';

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

const names = new Map([['1', 'first']]);
const resolvers = {
  Query: { product: (_: unknown, { id }: { id: string }) => ({ id, name: names.get(id) }) },
  Mutation: {
    rename: (_: unknown, { id, name }: { id: string; name: string }) => {
      names.set(id, name);
      return { id, name };
    },
  },
};

test('a stored operation response is never decoded by the process that wrote it, through the fast path and through the server', async (t) => {
  const codec = countingCodec();
  names.set('1', 'first');
  const h = await startApollo(typeDefs, resolvers, { cache: { codec } });
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
  assert.equal(codec.decodes - before, 0, 'fast-path hits on a frame this process wrote do not decode it');

  // Through Apollo: answered by the operation tier from the same frame, without decoding it again, each hit with
  // data objects of its own (a plugin changing one must not change the next).
  const one = await h.apollo.executeOperation({ query, variables: { id: '1' } }, { contextValue: {} });
  assert.equal(one.body.kind, 'single');
  const data = (one.body as unknown as { singleResult: { data: { product: { name: string } } } }).singleResult.data;
  data.product.name = 'changed by a plugin';
  assert.deepEqual((await h.run(query, { id: '1' })).data, { product: { id: '1', name: 'first' } });
  assert.equal(codec.decodes - before, 0, 'hits through the server do not decode it either');
  assert.equal(h.cache.stats().operationHits, 4);

  // A mutation invalidates; the refill is a new frame: decoded once, and served with the new name.
  await h.run('mutation { rename(id: "1", name: "second") { id name } }');
  assert.deepEqual((await h.run(query, { id: '1' })).data, { product: { id: '1', name: 'second' } });
  await h.cache.idle();
  const afterRefill = codec.decodes;
  assert.equal((await h.cache.storedResponse(request))?.body, '{"data":{"product":{"id":"1","name":"second"}}}\n');
  assert.equal((await h.cache.storedResponse(request))?.body, '{"data":{"product":{"id":"1","name":"second"}}}\n');
  assert.equal(codec.decodes - afterRefill, 0);
});

test('a frame another cache wrote into a shared store is decoded once, then served as the writer serves it', async (t) => {
  names.set('1', 'first');
  const store = createMemoryStore();
  const writerCodec = countingCodec();
  const readerCodec = countingCodec();
  const writer = await startApollo(typeDefs, resolvers, { cache: { store, codec: writerCodec } });
  const reader = await startApollo(typeDefs, resolvers, { cache: { store, codec: readerCodec } });
  t.after(async () => {
    await writer.stop();
    await reader.stop();
  });
  const query = 'query P($id: ID!) { product(id: $id) { id name } }';
  const request = { query, variables: { id: '1' } };
  await writer.run(query, { id: '1' });
  await writer.cache.idle();
  const written = await writer.cache.storedResponse(request);
  const before = readerCodec.decodes;
  const first = await reader.cache.storedResponse(request);
  const second = await reader.cache.storedResponse(request);
  assert.equal(readerCodec.decodes - before, 1, 'two hits on a frame written elsewhere decode it once');
  assert.ok(written && first && second);
  assert.deepEqual([first.body, second.body, [...first.bytes].join()], [written.body, written.body, [...written.bytes].join()]);
  assert.deepEqual([first.cacheControl, first.tags], [written.cacheControl, written.tags]);
  assert.deepEqual((await reader.run(query, { id: '1' })).data, { product: { id: '1', name: 'first' } });
  assert.equal(reader.cache.stats().operationHits, 3);
  assert.equal(writerCodec.decodes, 0);
});

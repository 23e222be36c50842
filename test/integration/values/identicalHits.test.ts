/**
 * Issue 21 item 7: a field-tier hit must answer exactly what the resolver would have. Values the codec cannot return
 * identical (an own `__proto__` key, a lone surrogate, a Uint8Array that is not a Buffer, a Date subclass with its own
 * `toJSON`, a non-enumerable property) are served uncached, with one warning each, on the memory store and on Redis.
 */
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { test, type TestContext } from 'node:test';
import { GraphQLScalarType } from 'graphql';
import type { Store } from '../../../src/index.js';
import { createRedisStore } from '../../../src/stores/redis/index.js';
import { startApollo } from '../../helpers/apolloHarness.js';
import { connectOrSkip, deletePrefix, onCleanup, uniquePrefix } from '../../helpers/redis.js';

const typeDefs = /* GraphQL */ `
  scalar JSON
  scalar DateTime
  type Query {
    doc(id: ID!): Doc @cacheControl(maxAge: 60)
  }
  type Doc {
    id: ID!
    data: JSON
    text: String
    when: DateTime
    name: String
  }
`;

class StampedDate extends Date {
  override toJSON(): string {
    return 'stamped';
  }
}

function hiddenName(): object {
  const doc = { id: 'hidden' };
  Object.defineProperty(doc, 'name', { value: 'Ada', enumerable: false });
  return doc;
}

const docs: Record<string, () => object> = {
  proto: () => ({ id: 'proto', data: JSON.parse('{"__proto__": {"admin": true}, "a": 1}') }),
  surrogate: () => ({ id: 'surrogate', text: 'a\ud800b' }),
  bytes: () => ({ id: 'bytes', data: new Uint8Array([1, 2]) }),
  date: () => ({ id: 'date', when: new StampedDate(0) }),
  hidden: hiddenName,
};

const resolvers = {
  JSON: new GraphQLScalarType({ name: 'JSON', serialize: (value) => value }),
  // A strict DateTime scalar, as most are: it serializes Dates only.
  DateTime: new GraphQLScalarType({
    name: 'DateTime',
    serialize: (value) => {
      if (!(value instanceof Date)) throw new TypeError(`DateTime cannot represent ${JSON.stringify(value)}`);
      return value.toISOString();
    },
  }),
  Query: { doc: (_: unknown, { id }: { id: string }) => docs[id]!() },
};

async function assertHitsIdentical(t: TestContext, store?: Store): Promise<void> {
  const h = await startApollo(typeDefs, resolvers, store ? { cache: { store } } : {});
  t.after(() => h.stop());
  const differing: string[] = [];
  for (const id of Object.keys(docs)) {
    const select = `data text when name`;
    // Two query texts, so the second is answered by the field tier, not by the first one's stored response.
    const fresh = await h.run(`query First($id: ID!) { doc(id: $id) { id ${select} } }`, { id });
    await h.cache.idle();
    const again = await h.run(`query Second($id: ID!) { doc(id: $id) { ${select} id } }`, { id });
    assert.equal(fresh.errors, undefined, `${id}: ${JSON.stringify(fresh.errors)}`);
    if (!isDeepStrictEqual(again, fresh)) differing.push(`${id}: ${JSON.stringify(fresh)} then ${JSON.stringify(again)}`);
  }
  assert.deepEqual(differing, [], 'hits answered differently from the fresh response');
  assert.equal(h.cache.stats().fills, 0, 'none of them was cached');
  const refusals = h.warnings.filter((w) => w.includes('cannot cache'));
  assert.equal(refusals.length, 1, `one warning for the field (its code): ${h.warnings.join('\n')}`);
}

test('values the codec cannot return identical are served uncached (memory store)', (t) => assertHitsIdentical(t));

test('values the codec cannot return identical are served uncached (Redis)', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('identical');
  const store = createRedisStore({ client: redis.template(), prefix, readTimeoutMs: 2000, writeTimeoutMs: 2000 });
  onCleanup(t, () => deletePrefix(redis.admin, prefix));
  assert.ok(await store.whenConnected());
  await assertHitsIdentical(t, store);
});

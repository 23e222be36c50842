/**
 * Issue 21 item 9: a raw value whose levels each reference the level below twice (a DAG, not a cycle) encodes to
 * 2^depth copies. The value is stored whole (other queries, and resolvers below it, may read any of it), so instead of
 * encoding only the selection the cache bounds the expansion: the encodability walk visits each object once and
 * refuses (served uncached, one warning) a value whose shared sub-objects would be written far more often than it
 * has nodes. The response, which selects `{ id title }`, is never held up by data it does not contain.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApollo } from '../../helpers/apolloHarness.js';

const typeDefs = /* GraphQL */ `
  type Query {
    post(id: ID!): Post @cacheControl(maxAge: 60)
    thread(id: ID!): Thread @cacheControl(maxAge: 60)
  }
  type Post {
    id: ID!
    title: String!
  }
  type Thread {
    title: String!
  }
`;

function dag(depth: number): object {
  let node: object = { id: 'leaf', title: 'leaf', body: 'x'.repeat(16) };
  for (let level = 0; level < depth; level++) node = { id: String(level), title: `Level ${level}`, left: node, right: node };
  return node;
}

test('a value with exponentially shared sub-objects is served uncached at once, with one warning', async (t) => {
  const h = await startApollo(typeDefs, {
    Query: { post: () => dag(22), thread: () => ({ title: 'T', meta: dag(22) }) },
  });
  t.after(() => h.stop());
  for (const field of ['post', 'thread']) {
    const started = performance.now();
    const result = await h.run(`{ ${field}(id: "1") { title } }`);
    const ms = performance.now() - started;
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    assert.deepEqual(result.data, { [field]: { title: field === 'post' ? 'Level 21' : 'T' } });
    // Encoding it whole would write 2^22 copies of the leaf (over 100 MB) and take seconds.
    assert.ok(ms < 1000, `answered in ${ms.toFixed(0)} ms`);
  }
  await h.cache.idle();
  assert.equal(h.cache.stats().fills, 0);
  assert.equal(h.warnings.length, 2, h.warnings.join('\n'));
  assert.match(h.warnings[0]!, /Query\.post returned a value whose shared sub-objects .* would be encoded once per reference/);
});

/**
 * No two requests that differ in arguments, argument types, Unicode look-alikes, characters moved across a
 * separator, null against absent, parent, session, variables or operation name share a field or operation key;
 * argument and variable order never split one (50,000 generated pairs here; 1,000,000 in `npm run reliability -- --long`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyCollisionPairs, searchKeyCollisions } from './isolation/keyCollisions.js';

test('generated request pairs: zero key collisions, zero splits', () => {
  const result = searchKeyCollisions(keyCollisionPairs(false));
  assert.deepEqual(result.examples, []);
  assert.equal(result.collisions, 0);
  assert.equal(result.splits, 0);
  assert.equal(result.pairs, keyCollisionPairs(false));
});

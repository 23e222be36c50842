/** narrowCacheControl: one Cache-Control header for several operations, with Apollo's rules. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { narrowCacheControl } from '../../src/index.js';

test('each operation narrows what the previous ones wrote', () => {
  assert.equal(narrowCacheControl(undefined, { maxAge: 60, scope: 'PUBLIC' }), 'max-age=60, public');
  assert.equal(narrowCacheControl(undefined, undefined), 'no-store');
  assert.equal(narrowCacheControl('max-age=60, public', { maxAge: 30, scope: 'PRIVATE' }), 'max-age=30, private');
  assert.equal(narrowCacheControl('max-age=30, private', { maxAge: 60 }), 'max-age=30, private');
  assert.equal(narrowCacheControl('max-age=60, public', undefined), 'no-store', 'an uncacheable or failed operation');
  assert.equal(narrowCacheControl('no-store', { maxAge: 60 }), 'no-store');
  assert.equal(narrowCacheControl('max-age=0, public', { maxAge: 60 }), 'no-store', 'max-age 0 is not cacheable');
  assert.equal(narrowCacheControl('no-cache, must-revalidate', { maxAge: 60 }), 'no-cache, must-revalidate', 'set on purpose: kept');
});

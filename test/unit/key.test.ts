import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalize, entryKey } from '../../src/index.js';

const key = (args: Record<string, unknown>, scope = 'PUBLIC', parentIdentity = '') =>
  entryKey({ schemaHash: 'h1', coordinate: 'Query.products', parentIdentity, args, scope });

test('argument order does not matter, values and types do', () => {
  assert.equal(key({ a: 1, b: { c: 2, d: 3 } }), key({ b: { d: 3, c: 2 }, a: 1 }));
  assert.notEqual(key({ a: 1 }), key({ a: '1' }));
  assert.notEqual(key({ a: [1, 2] }), key({ a: [2, 1] }));
  assert.equal(key({ a: 1, b: undefined }), key({ a: 1 }));
  assert.notEqual(key({ a: null }), key({}));
});

test('scope, parent and schema are part of the key', () => {
  assert.notEqual(key({}, 'PRIVATE:alice'), key({}, 'PRIVATE:bob'));
  assert.notEqual(key({}, 'PUBLIC', 'Product:1'), key({}, 'PUBLIC', 'Product:2'));
  assert.notEqual(entryKey({ schemaHash: 'h2', coordinate: 'Query.products', parentIdentity: '', args: {}, scope: 'PUBLIC' }), key({}));
});

test('keys are short and carry no user strings whatever the arguments', () => {
  const k = key({ search: 'alice@example.com '.repeat(200) }, 'PRIVATE:alice');
  assert.match(k, /^Query\.products:[A-Za-z0-9_-]{32}$/);
});

test('canonical rendering', () => {
  assert.equal(canonicalize({ b: [1, 'x', null], a: true, d: new Date(0), n: 10n }), '{"a":true,"b":[1,"x",null],"d":Date(1970-01-01T00:00:00.000Z),"n":10n}');
});

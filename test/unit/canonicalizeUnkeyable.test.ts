/** Values a key cannot be made of are refused with UNKEYABLE_VALUE, never rendered through Object.keys or the stack. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalize, CacheTagError } from '../../src/index.js';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return error instanceof CacheTagError ? error.code : `not a CacheTagError: ${String(error)}`;
  }
  return 'no error';
};

test('class instances, Maps, Sets, URLs and invalid Dates are unkeyable', () => {
  for (const value of [new URL('https://a.example/'), new Map([['a', 1]]), new Set([1]), new Date('garbage'), new (class Id {})(), () => 1, Symbol('s')]) {
    assert.equal(
      code(() => canonicalize({ arg: value })),
      'UNKEYABLE_VALUE',
      String(value),
    );
  }
});

test('plain data, valid Dates, byte arrays and null-prototype objects are keyed', () => {
  assert.equal(canonicalize({ b: Object.assign(Object.create(null) as object, { y: 1 }), a: new Uint8Array([1, 2]) }), '{"a":Bytes(AQI=),"b":{"y":1}}');
  assert.notEqual(canonicalize(new Uint8Array([1])), canonicalize(new Uint8Array([2])));
});

test('nesting is bounded: 20,000 levels are refused, not a stack overflow', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 20_000; i++) deep = [deep];
  assert.equal(
    code(() => canonicalize(deep)),
    'UNKEYABLE_VALUE',
  );
  let fine: unknown = 1;
  for (let i = 0; i < 100; i++) fine = { a: fine };
  assert.equal(typeof canonicalize(fine), 'string');
});

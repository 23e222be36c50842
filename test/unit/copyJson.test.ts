/**
 * copyJson, which gives each operation-tier hit through the server data objects of its own without parsing the stored
 * text again: the copy must serialize to the very bytes the text holds, and share nothing that can change.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyJson } from '../../src/engine/operation/copyJson.js';

const texts = [
  '{"products":[{"id":"1","name":"Ünïcødé \\u2028 \\"quoted\\"","price":-0,"tags":[],"nested":{"a":[1,[2,[3]]]}}]}',
  // Integer-like keys are ordered first by objects; the copy must order them as the parsed object does.
  '{"b":1,"2":"two","a":{"10":true,"1":false,"x":null},"1":"one"}',
  // JSON.parse makes __proto__ an own key; an assignment would set the prototype instead.
  '{"__proto__":{"polluted":true},"constructor":"c","toString":1}',
  'null',
  '"a string"',
  '[1e308,-1.5e-7,0,true,false,null]',
];

for (const text of texts) {
  test(`a copy serializes as the parsed value does: ${text.slice(0, 40)}`, () => {
    const parsed: unknown = JSON.parse(text);
    const copy = copyJson(parsed);
    assert.equal(JSON.stringify(copy), JSON.stringify(parsed));
    assert.deepEqual(copy, parsed);
  });
}

test('__proto__ stays an own key and the copy keeps Object.prototype', () => {
  const copy = copyJson(JSON.parse('{"__proto__":{"polluted":true}}')) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(copy), Object.prototype);
  assert.deepEqual(Object.keys(copy), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('the copy shares no object or array with its source', () => {
  const source = JSON.parse('{"list":[{"id":"1","reviews":[{"rating":5}]}],"one":{"two":{"three":[]}}}') as {
    list: { id: string; reviews: { rating: number }[] }[];
    one: { two: { three: unknown[] } };
  };
  const copy = copyJson(source) as typeof source;
  copy.list[0]!.reviews[0]!.rating = 1;
  copy.list.push({ id: '2', reviews: [] });
  copy.one.two.three.push('x');
  delete (copy.one as Partial<typeof copy.one>).two;
  assert.deepEqual(source, { list: [{ id: '1', reviews: [{ rating: 5 }] }], one: { two: { three: [] } } });
});

test('nesting deeper than the stack allows throws a RangeError (callers fall back to parsing)', () => {
  const text = '['.repeat(200_000) + ']'.repeat(200_000);
  assert.throws(() => copyJson(JSON.parse(text)), RangeError);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ancestorsAndSelf, entityTag, expandTags, fillTagTemplate, isValidTag, literalPrefix, parseTagTemplate, type TagTemplate } from '../../src/index.js';

const parse = (format: string) => parseTagTemplate(format) as TagTemplate;

test('ancestors of a tag path, shortest first', () => {
  assert.deepEqual(ancestorsAndSelf('Org:1:stores:2'), ['Org', 'Org:1', 'Org:1:stores', 'Org:1:stores:2']);
  assert.deepEqual(expandTags(['Org:1:stores', 'Org:2', 'Org:1']), ['Org', 'Org:1', 'Org:1:stores', 'Org:2']);
});

test('tag validity', () => {
  for (const tag of ['Product', 'Product:42', 'a b:c']) assert.ok(isValidTag(tag), tag);
  for (const tag of ['', ':a', 'a:', 'a::b', 42, null, 'x'.repeat(1025)]) assert.ok(!isValidTag(tag), String(tag));
});

test('values are escaped so they stay one segment', () => {
  assert.equal(entityTag('Product', ['a:b']), 'Product:a%3Ab');
  assert.equal(entityTag('Product', ['100%']), 'Product:100%25');
  assert.equal(entityTag('Variant', ['sku-1', 'red']), 'Variant:sku-1:red');
});

test('templates fill from args, nested input, parent and result, and expand lists', () => {
  assert.deepEqual(fillTagTemplate(parse('Store:{$args.storeId}:products'), { $args: { storeId: 2 } }), { ok: true, tags: ['Store:2:products'] });
  assert.deepEqual(fillTagTemplate(parse('Store:{$args.input.storeId}'), { $args: { input: { storeId: 'x:y' } } }), { ok: true, tags: ['Store:x%3Ay'] });
  assert.deepEqual(fillTagTemplate(parse('Product:{$args.ids}'), { $args: { ids: [1, 2, 2] } }), { ok: true, tags: ['Product:1', 'Product:2'] });
  assert.deepEqual(fillTagTemplate(parse('{$result.items.kind}:{$args.a}'), { $result: { items: [{ kind: 'A' }, { kind: 'B' }] }, $args: { a: 1 } }), {
    ok: true,
    tags: ['A:1', 'B:1'],
  });
  assert.deepEqual(fillTagTemplate(parse('Store:{$args.storeId}'), { $args: {} }), { ok: false, variable: '$args.storeId', reason: 'missing' });
  assert.deepEqual(fillTagTemplate(parse('Store:{$args.storeId}'), { $args: { storeId: { id: 1 } } }), {
    ok: false,
    variable: '$args.storeId',
    reason: 'missing',
  });
  assert.deepEqual(fillTagTemplate(parse('Store:{$args.storeId}'), { $args: { storeId: '' } }), { ok: false, variable: '$args.storeId', reason: 'missing' });
  assert.deepEqual(fillTagTemplate(parse('Store:{$args.storeId}'), { $args: { storeId: 'x'.repeat(1100) } }), {
    ok: false,
    variable: '$args.storeId',
    reason: 'too-long',
  });
});

test('the literal prefix is the safe fallback for a missing value', () => {
  assert.equal(literalPrefix(parse('Store:{$args.storeId}:products')), 'Store');
  assert.equal(literalPrefix(parse('Org:1:{$args.x}')), 'Org:1');
  assert.equal(literalPrefix(parse('Stores{$args.x}')), undefined);
  assert.equal(literalPrefix(parse('{$args.x}:products')), undefined);
  assert.equal(literalPrefix(parse('All:products')), 'All:products');
});

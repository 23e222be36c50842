/** The one rule every path reader follows (tag templates, list filters, entity keys): own and class properties, not Object.prototype's, throwing accessors as missing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPath, readProperty } from '../../src/internal/readPath.js';
import { fillTagTemplate, parseTagTemplate } from '../../src/tags/template.js';
import { entityIdentity } from '../../src/tags/derive.js';

class Product {
  constructor(private readonly row: { id: number }) {}
  get id(): number {
    return this.row.id;
  }
  get broken(): never {
    throw new Error('relation not loaded');
  }
}

test('own properties and class getters are read; Object.prototype members are not', () => {
  assert.equal(readProperty({ id: 1 }, 'id'), 1);
  assert.equal(readProperty(new Product({ id: 7 }), 'id'), 7);
  assert.equal(readProperty({}, 'constructor'), undefined);
  assert.equal(readProperty({}, 'toString'), undefined);
  assert.equal(readProperty({ constructor: 'own' }, 'constructor'), 'own');
  assert.equal(readPath({ a: { b: 2 } }, ['a', 'b']), 2);
  assert.equal(readPath({ a: 1 }, ['a', 'b']), undefined);
});

test('a throwing accessor reads as undefined', () => {
  assert.equal(readProperty(new Product({ id: 1 }), 'broken'), undefined);
});

test('a tag template and an entity key read the same class getter', () => {
  const product = new Product({ id: 42 });
  const parsed = parseTagTemplate('Product:{$parent.id}');
  assert.ok(!('error' in parsed));
  const filled = fillTagTemplate(parsed, { $parent: product });
  assert.deepEqual(filled, { ok: true, tags: ['Product:42'] });
  assert.equal(entityIdentity({ name: 'Product', keyFields: [['id']], tagTemplates: [] }, product)?.tag, 'Product:42');
});

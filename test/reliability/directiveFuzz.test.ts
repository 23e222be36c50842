/**
 * Random and malformed cache directives: every schema cachetag rejects is rejected with a CacheTagSchemaError whose
 * problems name an existing coordinate and the directive; every schema it accepts answers without errors, from the
 * cache as it did the first time (CI: 250 schemas; `npm run reliability -- --long`: 2,000).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { directiveSchemas, fuzzDirectives } from './fuzz/directives.js';
import { parseTagTemplate } from '../../src/index.js';
import { CacheTagError } from '../../src/errors.js';
import { mulberry32 } from './history/history.js';

test('random directive usage: a CacheTagSchemaError naming the coordinate, or a schema that behaves', async () => {
  const result = await fuzzDirectives(directiveSchemas(false));
  assert.deepEqual(result.examples, []);
  assert.equal(result.failures, 0);
  assert.ok(result.rejectedByCachetag > 0 && result.built > 0, JSON.stringify(result));
});

test('random template text: parsed, or a CacheTagError, never another exception', () => {
  const random = mulberry32(9);
  const alphabet = ['{', '}', '$', 'args', 'parent', 'result', '.', ':', 'id', 'a', ' ', '\u0000', 'é', '\\', '"', '*'];
  for (let i = 0; i < 20_000; i++) {
    const text = Array.from({ length: Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    try {
      parseTagTemplate(text);
    } catch (error) {
      assert.ok(error instanceof CacheTagError, `${JSON.stringify(text)}: ${(error as Error).name}: ${(error as Error).message}`);
    }
  }
});

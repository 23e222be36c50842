/** Misused options fail at once, naming the option, what was expected and what was received. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plugin, validate } from '../../src/codegen/index.js';
import { schemaOf } from './helpers.js';

const schema = schemaOf('type Query { a: Int @cacheControl(maxAge: 1) }');

test('option messages', async () => {
  await assert.rejects(async () => plugin(schema, [], { importFrom: '' }), {
    name: 'CacheTagError',
    code: 'INVALID_OPTION',
    message: `cachetag/codegen: option "importFrom" must be a module specifier such as 'cachetag'; received "".`,
  });
  await assert.rejects(async () => plugin(schema, [], { hasSessionId: 'yes' as unknown as boolean }), {
    code: 'INVALID_OPTION',
    message: 'cachetag/codegen: option "hasSessionId" must be a boolean; received "yes".',
  });
  await assert.rejects(async () => validate(schema, [], {}, 'generated/cache-tags.js', []), {
    code: 'INVALID_OPTION',
    message:
      'cachetag/codegen: the output file must be a TypeScript file (.ts, .mts, .cts or .tsx), since the plugin emits TypeScript; received "generated/cache-tags.js".',
  });
});

test('importFrom is the one module the output imports', async () => {
  const output = await plugin(schemaOf('type Query { p(id: ID!): P @cacheControl(maxAge: 1) } type P { id: ID! }'), [], { importFrom: '@acme/cachetag' });
  assert.deepEqual(output.match(/^import .*$/gm), ["import { escapeTagSegment } from '@acme/cachetag';"]);
  const defaults = await plugin(schemaOf('type Query { p(id: ID!): P @cacheControl(maxAge: 1) } type P { id: ID! }'), [], {});
  assert.deepEqual(defaults.match(/^import .*$/gm), ["import { escapeTagSegment } from 'cachetag';"]);
});

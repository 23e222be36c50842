/**
 * The plugin's output, pinned for each corner of the schema language it
 * handles. `UPDATE_SNAPSHOTS=1 npm test` rewrites the snapshots; review
 * their diff like code.
 */
import { test } from 'node:test';
import { fixtures, type FixtureName } from './fixtures.js';
import { assertSnapshot, generate } from './helpers.js';

const cases: FixtureName[] = [
  'compositeKeys',
  'nestedKeys',
  'nestedTemplatePaths',
  'interfacesAndUnions',
  'enumsAndLists',
  'escaping',
  'constantTemplates',
  'noDirectives',
];

for (const name of cases) {
  test(`output for ${name}`, async () => {
    assertSnapshot(name, await generate(fixtures[name]));
  });
}

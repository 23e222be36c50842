/**
 * An @invalidates template without a value falls back to its literal prefix, cut at the last ":" before the first
 * variable; a format whose first segment holds the variable ("Label-{$args.id}") has none and invalidates nothing,
 * with a warning (as the README says).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoErrors, createHarness } from '../../helpers/schema.js';

const typeDefs = /* GraphQL */ `
  type Query {
    hello: String
  }
  type Mutation {
    relabel(id: ID, storeId: ID): Boolean
      @invalidates(format: "Label-{$args.id}")
      @invalidates(format: "Store:{$args.storeId}:products")
      @invalidates(format: "Shelf:top-{$args.id}")
  }
`;

test('without values: "Store:{$args.storeId}:products" → Store, "Shelf:top-{$args.id}" → Shelf, "Label-{$args.id}" → nothing', async () => {
  const h = createHarness(typeDefs, { Mutation: { relabel: () => true } });
  assertNoErrors(await h.run('mutation { relabel }'));
  assert.deepEqual(h.store.calls.invalidate.flat().sort(), ['Shelf', 'Store']);
  assert.ok(
    h.warnings.some((w) => w.includes('@invalidates(format: "Label-{$args.id}") has no value for {$args.id} and no literal prefix to fall back on')),
    h.warnings.join('\n'),
  );
});

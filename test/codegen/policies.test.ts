/**
 * `cachePolicies` says what the engine does: the same fields as the engine's
 * cache plan, the same mode, time to live (in seconds here, milliseconds in
 * the plan), scope, tag and invalidation formats and null caching.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { buildCachePlan, validateCacheDirectives } from '../../src/index.js';
import { fixtures, type FixtureName } from './fixtures.js';
import { generateInto, schemaOf, scratchDir } from './helpers.js';

interface Policy {
  readonly mode: string;
  readonly maxAge: number;
  readonly scope: string;
  readonly tags: readonly string[];
  readonly invalidates: readonly string[];
  readonly cacheNull: boolean;
  readonly listScope: { readonly itemType: string; readonly filters: readonly string[] } | null;
}

test('cachePolicies matches the cache plan the engine builds', async (t) => {
  const dir = scratchDir(t);
  for (const name of Object.keys(fixtures) as FixtureName[]) {
    const file = await generateInto(dir, name, fixtures[name]);
    const { cachePolicies } = (await import(pathToFileURL(file).href)) as { cachePolicies: Readonly<Record<string, Policy>> };
    const schema = schemaOf(fixtures[name]);
    const plan = buildCachePlan(schema, validateCacheDirectives(schema, { hasSessionId: true }).directives);
    const expected: Record<string, Policy> = {};
    for (const field of plan.fields.values()) {
      if (field.mode === 'none') continue;
      expected[field.coordinate] = {
        mode: field.mode,
        maxAge: field.ttlMs / 1000,
        scope: field.scope,
        tags: field.tagTemplates.map((t) => t.format),
        invalidates: field.invalidates.map((t) => t.format),
        cacheNull: field.cacheNull,
        listScope: field.listScope
          ? {
              itemType: field.listScope.itemType,
              filters: field.listScope.filters.map((f) => `${f.itemPath.join('.')}: ${[f.source, ...f.sourcePath].join('.')}`),
            }
          : null,
      };
    }
    assert.deepEqual(cachePolicies, expected, name);
  }
});

test('the shop policies, as the SDL states them', async (t) => {
  const dir = scratchDir(t);
  const file = await generateInto(dir, 'shop', fixtures.shop);
  const { cachePolicies } = (await import(pathToFileURL(file).href)) as { cachePolicies: Readonly<Record<string, Policy>> };
  assert.deepEqual(cachePolicies['Query.products'], {
    mode: 'cache',
    maxAge: 60,
    scope: 'PUBLIC',
    tags: ['Store:{$args.storeId}:products'],
    invalidates: [],
    cacheNull: false,
    listScope: null,
  });
  // No @cacheControl on the field: Product's maxAge 120 applies (Apollo's rule), and a cached null carries Product:{$args.id}.
  assert.equal(cachePolicies['Query.product']?.maxAge, 120);
  assert.equal(cachePolicies['Query.product']?.cacheNull, true);
  assert.equal(cachePolicies['Query.me']?.scope, 'PRIVATE');
  assert.deepEqual(cachePolicies['Mutation.createProduct']?.invalidates, ['Store:{$result.storeId}:products']);
  assert.equal(cachePolicies['Customer.name'], undefined);
});

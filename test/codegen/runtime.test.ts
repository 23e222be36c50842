/**
 * The generated builders make exactly the tags the engine makes from the same
 * values: entity tags as `entityIdentity` derives them from a value (and as
 * `entityTag` joins them), template tags as `fillTagTemplate` fills them,
 * escaping, list expansion and deduplication included. Property-based, with
 * values full of `:` and `%`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { entityTag, fillTagTemplate, parseTagTemplate, validateCacheDirectives, type TagTemplate, type TypeCacheInfo } from '../../src/index.js';
import { entityIdentity } from '../../src/tags/derive.js';
import { fixtures, type FixtureName } from './fixtures.js';
import { generateInto, schemaOf, scratchDir } from './helpers.js';

type Builder = (values: unknown) => string | string[];
interface GeneratedModule {
  readonly tags: Readonly<Record<string, Builder & { all?: () => string }>>;
  readonly tagTemplates: Readonly<Record<string, Builder>>;
}

interface Loaded {
  readonly module: GeneratedModule;
  readonly types: ReadonlyMap<string, TypeCacheInfo>;
}

async function load(dir: string, name: FixtureName): Promise<Loaded> {
  const file = await generateInto(dir, name, fixtures[name]);
  const module = (await import(pathToFileURL(file).href)) as GeneratedModule;
  const { directives, problems } = validateCacheDirectives(schemaOf(fixtures[name]), { hasSessionId: true });
  assert.deepEqual(problems, []);
  return { module, types: directives.types };
}

/** Key and argument values as they come from resolvers: strings with separators and escapes, numbers, ids. */
const segmentValue = fc.oneof(
  fc.string({ minLength: 1 }),
  fc.constantFrom('a:b', '100%', '%3A', ':', '::', 'x%25:y'),
  fc.integer(),
  fc.double({ noNaN: true }),
);

function asList(tags: string | string[]): string[] {
  return Array.isArray(tags) ? tags : [tags];
}

/** What the engine fills for a format, which must make tags for these values. */
function engineFill(format: string, values: Record<string, unknown>): string[] {
  const filled = fillTagTemplate(parseTagTemplate(format) as TagTemplate, values);
  assert.ok(filled.ok, `the engine made no tag for ${format}`);
  return filled.tags;
}

function entityOf(types: ReadonlyMap<string, TypeCacheInfo>, typeName: string, value: object): string {
  const identity = entityIdentity(types.get(typeName), value);
  assert.ok(identity, `the engine derived no ${typeName} tag`);
  return identity.tag;
}

test('entity builders make the tags the engine derives from entity values', async (t) => {
  const dir = scratchDir(t);
  const shop = await load(dir, 'shop');
  const keyed = await load(dir, 'compositeKeys');
  const nested = await load(dir, 'nestedKeys');
  const abstract = await load(dir, 'interfacesAndUnions');

  assert.equal(shop.module.tags.Product!({ id: 'a:b' }), entityTag('Product', ['a:b']));
  assert.equal(shop.module.tags.Product!({ id: 'a:b' }), 'Product:a%3Ab');
  assert.equal(shop.module.tags.Product!.all!(), 'Product');
  fc.assert(
    fc.property(segmentValue, (id) => {
      assert.equal(shop.module.tags.Product!({ id }), entityOf(shop.types, 'Product', { id }));
      assert.equal(shop.module.tags.Store!({ id }), entityOf(shop.types, 'Store', { id, name: 'ignored' }));
    }),
  );
  fc.assert(
    fc.property(fc.string({ minLength: 1 }), fc.constantFrom('EU', 'US'), fc.integer(), fc.integer(), (sku, region, aisle, position) => {
      assert.equal(keyed.module.tags.Variant!({ sku, region }), entityOf(keyed.types, 'Variant', { sku, region, price: 1 }));
      assert.equal(keyed.module.tags.Shelf!({ aisle, position }), entityOf(keyed.types, 'Shelf', { aisle, position }));
    }),
  );
  fc.assert(
    fc.property(segmentValue, segmentValue, fc.string({ minLength: 1 }), (org, user, role) => {
      const membership = { organization: { id: org }, user: { id: user }, role };
      assert.equal(nested.module.tags.Membership!(membership), entityOf(nested.types, 'Membership', membership));
    }),
  );
  fc.assert(
    fc.property(segmentValue, fc.string({ minLength: 1 }), (id, sku) => {
      assert.equal(abstract.module.tags.SearchResult!({ __typename: 'Product', id }), entityOf(abstract.types, 'Product', { id }));
      assert.equal(abstract.module.tags.SearchResult!({ __typename: 'Gift', sku }), entityOf(abstract.types, 'Gift', { sku, price: 1 }));
      assert.equal(abstract.module.tags.Node!({ __typename: 'Product', id }), entityOf(abstract.types, 'Product', { id }));
      assert.equal(abstract.module.tags.Priced!({ __typename: 'Gift', sku }), entityOf(abstract.types, 'Gift', { sku }));
    }),
  );
});

test('template builders make the tags the engine fills, lists expanded and deduplicated', async (t) => {
  const dir = scratchDir(t);
  const shop = await load(dir, 'shop');
  const keyed = await load(dir, 'compositeKeys');
  const paths = await load(dir, 'nestedTemplatePaths');
  const lists = await load(dir, 'enumsAndLists');
  const escaping = await load(dir, 'escaping');
  const same = (loaded: Loaded, format: string, values: Record<string, unknown>) =>
    assert.deepEqual(asList(loaded.module.tagTemplates[format]!(values)), engineFill(format, values), format);

  assert.equal(shop.module.tagTemplates['Store:{$args.storeId}:products']!({ $args: { storeId: 'x:1' } }), 'Store:x%3A1:products');
  fc.assert(
    fc.property(segmentValue, (value) => {
      same(shop, 'Store:{$args.storeId}:products', { $args: { storeId: value, category: 'ignored' } });
      same(shop, 'Product:{$parent.id}:reviews', { $parent: { id: value } });
      same(shop, 'Store:{$result.storeId}:products', { $result: { id: 'p', storeId: value } });
      same(keyed, 'Variant:{$args.sku}:{$args.region}', { $args: { sku: String(value), region: 'US' } });
      same(escaping, "It's `odd` \\ */ here$:{$args.id}", { $args: { id: value } });
      same(escaping, 'Price${$args.id}', { $args: { id: value } });
    }),
  );
  fc.assert(
    fc.property(fc.integer(), segmentValue, fc.string({ minLength: 1 }), (aisle, storeId, category) => {
      same(keyed, 'Aisle:{$key.aisle}:shelves', { $key: { aisle } });
      same(paths, 'Store:{$args.filter.storeId}:category:{$args.filter.category}', { $args: { filter: { storeId, category } } });
      same(paths, 'Store:{$args.input.storeId}:products', { $args: { input: { storeId, name: 'n' } } });
      same(paths, 'Store:{$parent.store.id}:reviews', { $parent: { store: { id: storeId } } });
      same(paths, 'Store:{$result.store.id}:category:{$result.category}', { $result: { store: { id: storeId }, category } });
    }),
  );
  const categories = fc.array(fc.constantFrom('TEA', 'COFFEE'), { minLength: 1 });
  fc.assert(
    fc.property(
      fc.array(segmentValue, { minLength: 1 }),
      fc.array(fc.boolean(), { minLength: 1 }),
      fc.integer(),
      fc.array(fc.record({ id: segmentValue, categories }), { minLength: 1 }),
      (ids, flags, limit, products) => {
        same(lists, 'Product:{$args.ids}:listed', { $args: { ids } });
        same(lists, 'Flags:{$args.flags}:{$args.limit}:{$args.day}', { $args: { flags, limit, day: ids[0] } });
        same(lists, 'Product:{$result.id}:tags', { $result: products });
        same(lists, 'Category:{$result.categories}', { $result: products });
      },
    ),
  );
  assert.deepEqual(lists.module.tagTemplates['Product:{$args.ids}:listed']!({ $args: { ids: ['a', 'a:b', 'a', 2] } }), [
    'Product:a:listed',
    'Product:a%3Ab:listed',
    'Product:2:listed',
  ]);
});

test('where the engine can make no tag, a builder throws (or, for an empty list, returns none)', async (t) => {
  const dir = scratchDir(t);
  const shop = await load(dir, 'shop');
  const lists = await load(dir, 'enumsAndLists');

  assert.equal(entityIdentity(shop.types.get('Product'), { id: '' }), undefined);
  assert.throws(() => shop.module.tags.Product!({ id: '' }), {
    name: 'TypeError',
    message: 'cachetag: Product.id is an empty string, which makes no tag segment.',
  });
  assert.throws(() => shop.module.tagTemplates['Store:{$args.storeId}:products']!({ $args: { storeId: null } }), {
    name: 'TypeError',
    message: 'cachetag: $args.storeId must be a string, number, bigint or boolean; received null.',
  });
  assert.throws(() => lists.module.tagTemplates['Product:{$args.ids}:listed']!({ $args: { ids: ['a', ''] } }), {
    name: 'TypeError',
    message: 'cachetag: $args.ids is an empty string, which makes no tag segment.',
  });
  assert.deepEqual(lists.module.tagTemplates['Product:{$args.ids}:listed']!({ $args: { ids: [] } }), []);
  assert.throws(() => lists.module.tags.Product!({ id: { nested: 1 } }), {
    name: 'TypeError',
    message: 'cachetag: Product.id must be a string, number, bigint or boolean; received object.',
  });
});

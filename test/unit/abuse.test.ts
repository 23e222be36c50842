/**
 * Every error message a user can meet, pinned word for word: messages are
 * part of the interface, and a reworded one must be a deliberate change.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSchema } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { cacheDirectivesTypeDefs, CacheTagSchemaError, createCache, createCodec, createMemoryStore, validateCacheDirectives } from '../../src/index.js';
import { createApolloPlugin } from '../../src/apollo/index.js';

// assumeValidSDL: graphql-js would reject some of these itself (an unknown
// directive argument); cachetag must report them too, for schemas built without that check.
const problemsOf = (sdl: string, hasSessionId = false) =>
  validateCacheDirectives(buildSchema(cacheDirectivesTypeDefs + sdl, { assumeValidSDL: true }), { hasSessionId }).problems.map((p) => p.message);

test('@cacheControl problems', () => {
  assert.deepEqual(
    problemsOf(`type Query {
      a: Int @cacheControl(maxAge: -5)
      b: Int @cacheControl(maxage: 10)
      c: Int @cacheControl(maxAge: "10")
      d: Int @cacheControl(maxAge: 10, scope: PRIVATE)
    }`),
    [
      'Query.a: @cacheControl(maxAge:) must be a whole number of seconds >= 0; received -5.',
      'Query.b: @cacheControl has no argument "maxage"; expected one of "maxAge", "scope", "inheritMaxAge". Did you mean "maxAge"?',
      'Query.c: @cacheControl(maxAge:) expects a value of type Int; received "10".',
      "Query.d: @cacheControl(scope: PRIVATE) needs a sessionId function (createCache({ sessionId })) to keep each user's entries apart; none was given.",
    ],
  );
  assert.deepEqual(problemsOf(`type Query { d: Int @cacheControl(maxAge: 10, scope: PRIVATE) }`, true), []);
});

test('template syntax problems', () => {
  assert.deepEqual(
    problemsOf(`type Query {
      a(id: ID): Int @cacheTag(format: "Store:{$arg.id}")
      b(id: ID): Int @cacheTag(format: "Store:{$args.id")
      c(id: ID): Int @cacheTag(format: "Store::{$args.id}")
      d(id: ID): Int @cacheTag(format: "Store:id}")
      e(id: ID): Int @cacheTag(format: "Store:{id}")
    }`),
    [
      'Query.a: @cacheTag(format: "Store:{$arg.id}") is not a valid tag template: unknown variable source "$arg"; expected one of $args, $key, $parent, $result. Did you mean "$args"?',
      'Query.b: @cacheTag(format: "Store:{$args.id") is not a valid tag template: "{" at position 6 is never closed.',
      'Query.c: @cacheTag(format: "Store::{$args.id}") is not a valid tag template: it does not make a valid tag when filled in ("Store::x": tags are non-empty ":"-separated segments, none of them empty).',
      'Query.d: @cacheTag(format: "Store:id}") is not a valid tag template: "}" at position 8 has no matching "{".',
      'Query.e: @cacheTag(format: "Store:{id}") is not a valid tag template: "{id}" is not a variable; variables look like {$args.name}, {$key.name}, {$parent.name} or {$result.name}.',
    ],
  );
});

test('template variables that cannot exist where they are used', () => {
  assert.deepEqual(
    problemsOf(`
      type Query {
        products(storeId: ID!, filter: Filter): [Product] @cacheTag(format: "Store:{$args.storId}:products") @cacheTag(format: "Store:{$args.filter.categry}") @cacheTag(format: "Store:{$args.filter}")
        root: Product @cacheTag(format: "{$parent.id}") @cacheTag(format: "{$key.id}")
        noargs: Product @cacheTag(format: "X:{$args.id}")
      }
      input Filter { category: String }
      type Product @cacheTag(format: "P:{$key.sku}") @cacheTag(format: "P:{$args.id}") {
        id: ID!
        name: String
        store: Store @cacheTag(format: "S:{$parent.stor.id}") @cacheTag(format: "S:{$parent.store}") @cacheTag(format: "S:{$parent.store.id}")
      }
      type Store { id: ID! }
    `),
    [
      'Product: @cacheTag(format: "P:{$key.sku}") uses {$key.sku}, but "sku" is not a key field of Product; expected one of "id".',
      'Product: @cacheTag(format: "P:{$args.id}") uses {$args.id}, but $args is not available in @cacheTag on a type (only the type\'s key fields are known there); use $key there.',
      'Query.products: @cacheTag(format: "Store:{$args.storId}:products") references argument "storId", which Query.products does not have; expected one of "storeId", "filter". Did you mean "storeId"?',
      'Query.products: @cacheTag(format: "Store:{$args.filter.categry}") references "filter.categry", but input type Filter has no field "categry"; expected one of "category". Did you mean "category"?',
      'Query.products: @cacheTag(format: "Store:{$args.filter}") references "filter", which is the input object Filter; a template variable must name a scalar or enum value, such as {$args.filter.category}.',
      'Query.root: @cacheTag(format: "{$parent.id}") uses {$parent.id}, but $parent is not available in @cacheTag on a field of the root type Query; use $args there.',
      'Query.root: @cacheTag(format: "{$key.id}") uses {$key.id}, but $key is not available in @cacheTag on a field of the root type Query; use $args there.',
      'Query.noargs: @cacheTag(format: "X:{$args.id}") references argument "id", but Query.noargs takes no arguments.',
      'Product.store: @cacheTag(format: "S:{$parent.stor.id}") references "stor", but Product has no field "stor"; expected one of "id", "name", "store". Did you mean "store"?',
      'Product.store: @cacheTag(format: "S:{$parent.store}") references "store", which is a Store object; a template variable must name a scalar or enum value, such as {$parent.store.id}.',
    ],
  );
});

test('key field problems', () => {
  assert.deepEqual(
    problemsOf(`
      type Query { a: Int }
      type Store @cacheKey(fields: "ids") { id: ID! }
      type Thing @cacheKey(fields: "owner") { owner: Store }
      type Broken @cacheKey(fields: "id {") { id: ID! }
      type Fed @key(fields: "sku region") @cacheTag(format: "Fed:{$key.sku}") { sku: String! region: String! }
      type NoKey @cacheTag(format: "T:{$key.id}") { name: String }
    `),
    [
      'Store: @cacheKey(fields: "ids") names field "ids", which Store does not have; expected one of "id". Did you mean "id"?',
      'Thing: @cacheKey(fields: "owner") names "owner", which is a Store object; select its key fields, such as "owner { id }".',
      'Broken: @cacheKey(fields: "id {") is not a valid field selection; expected field names separated by spaces, such as "id" or "sku region".',
      'NoKey: @cacheTag(format: "T:{$key.id}") uses {$key.id}, but NoKey has no key fields; declare @key(fields: ...) or @cacheKey(fields: ...), or give it an "id" field.',
    ],
  );
});

test('@invalidates problems', () => {
  assert.deepEqual(
    problemsOf(`
      type Query { a: Product @invalidates(format: "Product") }
      type Product { id: ID! name: String }
      type Mutation {
        save(id: ID!): Product @invalidates(format: "Product:{$result.nme}") @invalidates(format: "Product:{$parent.id}") @invalidates
      }
    `),
    [
      'Query.a: @invalidates is only allowed on fields of the mutation type (Mutation) and of types reachable from it; Query is not reachable from Mutation.',
      'Mutation.save: @invalidates needs the argument "format" (String!); it is missing.',
      'Mutation.save: @invalidates(format: "Product:{$result.nme}") references "nme", but Product has no field "nme"; expected one of "id", "name". Did you mean "name"?',
      'Mutation.save: @invalidates(format: "Product:{$parent.id}") uses {$parent.id}, but $parent is not available in @invalidates; use $args or $result there.',
    ],
  );
  assert.deepEqual(problemsOf(`type Query { a: Int @invalidates(format: "A") }`), [
    'Query.a: @invalidates is only allowed on fields of the mutation type, and this schema has no mutation type.',
  ]);
});

test('@listScope problems', () => {
  assert.deepEqual(
    problemsOf(`
      type Query {
        a(storeId: ID, category: String): [Product] @listScope(filters: ["storId", "category"])
        b(storeId: ID): Product @listScope(filters: ["storeId"])
        c(kind: Kind): [Product] @listScope(filters: ["category: $args.kind"])
        d(storeId: ID): [Product] @listScope(filters: ["storeId: $parent.id"])
        e(ids: [ID]): [Product] @listScope(filters: ["id: $args.ids"])
        f(storeId: ID): [Product] @listScope(filters: ["store"])
        g(storeId: ID): [Product] @listScope(filters: ["storeId = 2"])
        h(storeId: ID): [Product] @listScope(filters: [])
        i(storeId: ID): [Product] @listScope(filters: ["storeId: $arg.storeId"])
        j(storeId: ID): [Product] @listScope(filters: ["category"])
      }
      enum Kind { TEA COFFEE }
      type Product { id: ID! storeId: ID! category: String! store: Store }
      type Store { id: ID! products: [Product] @listScope(filters: ["storeId: $parent.idd"]) }
    `),
    [
      'Query.a: @listScope filter "storId": Product has no field "storId"; expected one of "id", "storeId", "category", "store". Did you mean "storeId" or "store"?',
      'Query.b: @listScope is only allowed on fields that return a list or a connection (edges { node } or nodes); Query.b returns Product.',
      'Query.c: @listScope filter "category: $args.kind" compares argument "kind" (Kind) with item field "category" (String); their types must match.',
      'Query.d: @listScope filter "storeId: $parent.id" uses $parent, but Query.d is a field of the root type Query, which has no parent value.',
      'Query.e: @listScope filter "id: $args.ids": argument "ids" is a list; a filter compares single values.',
      'Query.f: @listScope filter "store": "store" is the object type Store; a filter compares scalar or enum values, such as "store.id".',
      'Query.g: @listScope filter "storeId = 2" is not valid; expected "itemField", "itemField: $args.argument" or "itemField: $parent.field".',
      'Query.h: @listScope needs at least one filter, such as filters: ["storeId"].',
      'Query.i: @listScope filter "storeId: $arg.storeId" uses $arg; expected $args or $parent. Did you mean "$args"?',
      'Query.j: @listScope filter "category": Query.j has no argument "category"; expected one of "storeId".',
      'Store.products: @listScope filter "storeId: $parent.idd": Store has no field "idd"; expected one of "id", "products". Did you mean "id"?',
    ],
  );
});

test('problems carry their SDL location and are thrown together at server start', async () => {
  const typeDefs = `type Query {\n  a: Int @cacheControl(maxAge: -1)\n  b(id: ID): Int @cacheTag(format: "B:{$args.idd}")\n}`;
  const server = new ApolloServer({ typeDefs: [cacheDirectivesTypeDefs, typeDefs], resolvers: {}, plugins: [createApolloPlugin(createCache())] });
  await assert.rejects(server.start(), (error: unknown) => {
    assert.ok(error instanceof CacheTagSchemaError);
    assert.equal(error.code, 'SCHEMA_INVALID');
    assert.deepEqual(
      error.problems.map((p) => [p.coordinate, p.directive, p.location?.line]),
      [
        ['Query.a', 'cacheControl', 2],
        ['Query.b', 'cacheTag', 3],
      ],
    );
    assert.equal(
      error.message,
      "cachetag found 2 problems in the schema's cache directives:\n" +
        '  - Query.a: @cacheControl(maxAge:) must be a whole number of seconds >= 0; received -1. (line 2, column 10)\n' +
        '  - Query.b: @cacheTag(format: "B:{$args.idd}") references argument "idd", which Query.b does not have; expected one of "id". Did you mean "id"? (line 3, column 18)',
    );
    return true;
  });
});

test('misused options name the option, what was expected and what was received', () => {
  const message = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return `${(error as { code: string }).code}: ${(error as Error).message}`;
    }
    return 'no error';
  };
  assert.equal(
    message(() => createCache({ store: {} as never })),
    'INVALID_OPTION: createCache: option "store" must be a Store (an object with get, set, invalidate and close); received an object.',
  );
  assert.equal(
    message(() => createCache({ sessionId: 'userId' as never })),
    'INVALID_OPTION: createCache: option "sessionId" must be a function (context) => string | undefined; received "userId".',
  );
  assert.equal(
    message(() => createCache({ clock: Date.now as never })),
    'INVALID_OPTION: createCache: option "clock" must be an object with a now() method returning milliseconds since the epoch; received a function.',
  );
  assert.equal(
    message(() => createMemoryStore({ maxEntries: 0 })),
    'INVALID_OPTION: createMemoryStore: option "maxEntries" must be a positive integer; received number 0.',
  );
  assert.equal(
    message(() => createMemoryStore({ maxBytes: 1.5 })),
    'INVALID_OPTION: createMemoryStore: option "maxBytes" must be a positive integer; received number 1.5.',
  );
  assert.equal(
    message(() => createCodec({ maxValueBytes: -1 })),
    'INVALID_OPTION: createCodec: option "maxValueBytes" must be a positive integer number of bytes; received number -1.',
  );
  assert.equal(
    message(() => createApolloPlugin(createCache(), { debug: 'yes' as never })),
    `INVALID_OPTION: createApolloPlugin: option "debug" must be true, false or 'header'; received "yes".`,
  );
  assert.equal(
    message(() => createApolloPlugin(createCache(), { tagsHeader: 'Surrogate Key' })),
    'INVALID_OPTION: createApolloPlugin: option "tagsHeader" must be an HTTP header name such as "Surrogate-Key"; received "Surrogate Key".',
  );
});

test('a sessionId returning a non-id, and a dynamic hint where nobody reads it', async () => {
  const { sessionScopeOf } = await import('../../src/engine/sessionScope.js');
  assert.throws(() => sessionScopeOf({ id: 'alice' }), {
    code: 'INVALID_SESSION_ID',
    message:
      "createCache({ sessionId }): the sessionId function must return a string, a finite number, null or undefined; it returned an object. Return the user's id (sessionId: (ctx) => ctx.user?.id), not the user.",
  });
  assert.throws(() => sessionScopeOf(Number.NaN), { code: 'INVALID_SESSION_ID', message: /it returned the number NaN\./ });
  assert.throws(() => sessionScopeOf(new Map()), { code: 'INVALID_SESSION_ID', message: /it returned an object \(Map\)\./ });
  assert.equal(sessionScopeOf(42), 'PRIVATE:42');

  const { refuseDynamicHints } = await import('../../src/engine/dynamicHints.js');
  const info = {} as Parameters<typeof refuseDynamicHints>[0];
  refuseDynamicHints(info, { coordinate: 'Query.article' });
  assert.throws(() => (info as unknown as { cacheControl: { setCacheHint(h: object): void } }).cacheControl.setCacheHint({ scope: 'PRIVATE' }), {
    code: 'DYNAMIC_HINT_UNSUPPORTED',
    message:
      "Query.article: the resolver used info.cacheControl to give a dynamic cache hint, but with createApolloPlugin(cache, { cacheControl: 'cachetag' }) dynamic hints are not seen, so the result could be shared with every user. Declare the policy with @cacheControl in the schema, or use cacheControl: 'apollo'.",
  });
});

/**
 * Arguments that custom scalars parse into class instances (URL, Date, an ObjectId, Map, Set) are keyed by what the
 * scalar serializes them to, never by their own enumerable properties (which are none: every such argument used to
 * share one key, so one user's answer was served for another's arguments).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphQLScalarType, Kind } from 'graphql';
import { assertNoErrors, createHarness } from '../../helpers/schema.js';

class ObjectId {
  readonly #hex: string;
  constructor(hex: string) {
    this.#hex = hex;
  }
  toHexString(): string {
    return this.#hex;
  }
}

const stringScalar = <T>(name: string, parse: (text: string) => T, serialize: (value: T) => unknown) =>
  new GraphQLScalarType<T, unknown>({
    name,
    parseValue: (value) => parse(String(value)),
    parseLiteral: (ast) => (ast.kind === Kind.STRING ? parse(ast.value) : (undefined as T)),
    serialize: (value) => serialize(value as T),
  });

const typeDefs = /* GraphQL */ `
  scalar URL
  scalar DateTime
  scalar ObjectID
  scalar StringMap
  scalar StringSet
  input Filter {
    since: DateTime
    sites: [URL!]
  }
  type Query {
    preview(url: URL!): String @cacheControl(maxAge: 60)
    day(at: DateTime!): String @cacheControl(maxAge: 60)
    doc(id: ObjectID!): String @cacheControl(maxAge: 60)
    mapped(m: StringMap!): String @cacheControl(maxAge: 60)
    setOf(s: StringSet!): String @cacheControl(maxAge: 60)
    search(filter: Filter!): String @cacheControl(maxAge: 60)
  }
`;

function harness() {
  let calls = 0;
  const h = createHarness(typeDefs, {
    URL: stringScalar(
      'URL',
      (text) => new URL(text),
      (url) => url.toString(),
    ),
    // Lenient, as many DateTime scalars are: "garbage" parses into an invalid Date, and serializing it throws.
    DateTime: stringScalar(
      'DateTime',
      (text) => new Date(text),
      (date) => date.toISOString(),
    ),
    ObjectID: stringScalar(
      'ObjectID',
      (text) => new ObjectId(text),
      (id) => id.toHexString(),
    ),
    // A Map and a Set: their serialize returns something no key can be made of (the instance itself).
    StringMap: stringScalar(
      'StringMap',
      (text) => new Map(Object.entries(JSON.parse(text) as Record<string, string>)),
      (map) => map,
    ),
    StringSet: stringScalar(
      'StringSet',
      (text) => new Set(text.split(',')),
      (set) => [...set].sort(),
    ),
    Query: {
      preview: (_: unknown, { url }: { url: URL }) => (calls++, `page of ${url.host}${url.pathname}`),
      day: (_: unknown, { at }: { at: Date }) => (calls++, Number.isNaN(at.getTime()) ? 'no day' : at.toISOString().slice(0, 10)),
      doc: (_: unknown, { id }: { id: ObjectId }) => (calls++, `doc ${id.toHexString()}`),
      mapped: (_: unknown, { m }: { m: Map<string, string> }) => (calls++, [...m].join(';')),
      setOf: (_: unknown, { s }: { s: Set<string> }) => (calls++, [...s].join(';')),
      search: (_: unknown, { filter }: { filter: { since?: Date; sites?: URL[] } }) => (
        calls++,
        `${filter.since?.toISOString() ?? '-'} ${filter.sites?.map((u) => u.host).join(',') ?? '-'}`
      ),
    },
  });
  return { ...h, calls: () => calls };
}

test('URL, Date and ObjectId arguments are keyed by their serialized value', async () => {
  const h = harness();
  const cases: [string, string, string, string][] = [
    ['preview(url: "https://alice.example/private-doc")', 'preview(url: "https://bob.example/")', 'page of alice.example/private-doc', 'page of bob.example/'],
    ['day(at: "2024-01-01T00:00:00Z")', 'day(at: "2025-06-30T00:00:00Z")', '2024-01-01', '2025-06-30'],
    ['doc(id: "65a0000000000000000000aa")', 'doc(id: "65a0000000000000000000bb")', 'doc 65a0000000000000000000aa', 'doc 65a0000000000000000000bb'],
    [
      'search(filter: { since: "2024-01-01T00:00:00Z", sites: ["https://a.example/"] })',
      'search(filter: { since: "2024-01-01T00:00:00Z", sites: ["https://b.example/"] })',
      '2024-01-01T00:00:00.000Z a.example',
      '2024-01-01T00:00:00.000Z b.example',
    ],
  ];
  for (const [alice, bob, aliceAnswer, bobAnswer] of cases) {
    const before = h.calls();
    const first = await h.run(`{ v: ${alice} }`);
    const second = await h.run(`{ v: ${bob} }`);
    const again = await h.run(`{ v: ${alice} }`);
    assertNoErrors(first);
    assertNoErrors(second);
    assert.deepEqual({ ...first.data }, { v: aliceAnswer }, alice);
    assert.deepEqual({ ...second.data }, { v: bobAnswer }, `${bob} must not be answered with ${alice}'s result`);
    assert.deepEqual({ ...again.data }, { v: aliceAnswer }, alice);
    assert.equal(h.calls() - before, 2, `${alice}: the repeat is a hit, the other argument a miss`);
  }
});

test('an argument serialized to a value no key can be made of (a Map) is served uncached, never shared', async () => {
  const h = harness();
  const a = await h.run(`{ v: mapped(m: "{\\"user\\":\\"alice\\"}") }`);
  const b = await h.run(`{ v: mapped(m: "{\\"user\\":\\"bob\\"}") }`);
  const again = await h.run(`{ v: mapped(m: "{\\"user\\":\\"alice\\"}") }`);
  assert.deepEqual({ ...a.data }, { v: 'user,alice' });
  assert.deepEqual({ ...b.data }, { v: 'user,bob' });
  assert.deepEqual({ ...again.data }, { v: 'user,alice' });
  assert.equal(h.calls(), 3, 'every request ran its resolver');
  // A Set whose serialize gives a plain array is keyed by it.
  const s1 = await h.run(`{ v: setOf(s: "x,y") }`);
  const s2 = await h.run(`{ v: setOf(s: "y,z") }`);
  const s3 = await h.run(`{ v: setOf(s: "x,y") }`);
  assert.deepEqual([{ ...s1.data }, { ...s2.data }, { ...s3.data }], [{ v: 'x;y' }, { v: 'y;z' }, { v: 'x;y' }]);
  assert.equal(h.calls(), 5);
});

test('an invalid Date argument (a lenient DateTime scalar parsing "garbage") is served uncached instead of failing', async () => {
  const h = harness();
  const first = await h.run(`{ v: day(at: "garbage") }`);
  const second = await h.run(`{ v: day(at: "garbage") }`, {}, undefined);
  assertNoErrors(first);
  assertNoErrors(second);
  assert.deepEqual({ ...first.data }, { v: 'no day' });
  assert.deepEqual({ ...second.data }, { v: 'no day' });
  assert.equal(h.calls(), 2);
});

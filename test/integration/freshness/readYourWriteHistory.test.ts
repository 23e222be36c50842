/**
 * Read-your-write histories with the hard cases in the mix (issue 19): mutations that return an interface whose
 * `__resolveType` is async, resolvers that return null (cached with `@cacheNull`, and not), lists scoped by a filter,
 * and a field with a 1 s maxAge whose data changes without any invalidation, on one injected clock. After every
 * acknowledged mutation each query (both tiers) answers the truth, and the short-lived field is never older than its
 * maxAge.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createApolloHarness } from '../../helpers/apollo.js';
import { createMemoryStore } from '../../../src/index.js';

const typeDefs = /* GraphQL */ `
  interface Item {
    id: ID!
    title: String!
    shelf: ID!
  }
  type Book implements Item @cacheControl(maxAge: 300) {
    id: ID!
    title: String!
    shelf: ID!
  }
  type Magazine implements Item @cacheControl(maxAge: 300) {
    id: ID!
    title: String!
    shelf: ID!
  }
  type Query {
    book(id: ID!): Book @cacheNull
    magazine(id: ID!): Magazine
    item(id: ID!): Item @cacheControl(maxAge: 300)
    books(shelf: ID!): [Book!]! @listScope(filters: ["shelf"])
    price: Int @cacheControl(maxAge: 1)
  }
  type Mutation {
    rename(id: ID!, title: String!): Item
    create(id: ID!, kind: String!, title: String!, shelf: ID!): Item
    move(id: ID!, shelf: ID!): Item
    delete(id: ID!): Item
  }
`;

interface Row {
  kind: 'book' | 'magazine';
  id: string;
  title: string;
  shelf: string;
}
const ids = ['1', '2', '3', '4'] as const;
const shelves = ['a', 'b'] as const;

type Step =
  | { kind: 'rename'; id: string; title: string }
  | { kind: 'create'; id: string; type: 'book' | 'magazine'; shelf: string }
  | { kind: 'move'; id: string; shelf: string }
  | { kind: 'delete'; id: string }
  | { kind: 'price'; value: number }
  | { kind: 'tick'; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('rename' as const), id: fc.constantFrom(...ids), title: fc.constantFrom('x', 'y', 'z') }),
  fc.record({
    kind: fc.constant('create' as const),
    id: fc.constantFrom(...ids),
    type: fc.constantFrom('book' as const, 'magazine' as const),
    shelf: fc.constantFrom(...shelves),
  }),
  fc.record({ kind: fc.constant('move' as const), id: fc.constantFrom(...ids), shelf: fc.constantFrom(...shelves) }),
  fc.record({ kind: fc.constant('delete' as const), id: fc.constantFrom(...ids) }),
  fc.record({ kind: fc.constant('price' as const), value: fc.integer({ min: 1, max: 1000 }) }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 1500 }) }),
);

const QUERIES = {
  books: `{ a: books(shelf: "a") { id title } b: books(shelf: "b") { id title } }`,
  book: `{ ${ids.map((id) => `b${id}: book(id: "${id}") { id title }`).join(' ')} }`,
  magazine: `{ ${ids.map((id) => `m${id}: magazine(id: "${id}") { id title }`).join(' ')} }`,
  item: `{ ${ids.map((id) => `i${id}: item(id: "${id}") { __typename id title }`).join(' ')} }`,
  price: `{ price }`,
};

test('every read after an acknowledged write answers the truth, with async resolveType, nulls and short maxAges in the mix', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
      let now = 1_000_000;
      const clock = { now: () => now };
      const rows = new Map<string, Row>([
        ['1', { kind: 'book', id: '1', title: 'one', shelf: 'a' }],
        ['2', { kind: 'magazine', id: '2', title: 'two', shelf: 'a' }],
      ]);
      // The price's values, each with the time it stopped being true.
      let price = 1;
      const pastPrices: { value: number; until: number }[] = [];
      const copy = (row: Row | undefined) => (row ? { ...row } : null);
      const h = await createApolloHarness(
        typeDefs,
        {
          Item: {
            __resolveType: async (row: Row) => {
              await new Promise((resolve) => setImmediate(resolve));
              return row.kind === 'book' ? 'Book' : 'Magazine';
            },
          },
          Query: {
            book: (_: unknown, { id }: { id: string }) => (rows.get(id)?.kind === 'book' ? copy(rows.get(id)) : null),
            magazine: (_: unknown, { id }: { id: string }) => (rows.get(id)?.kind === 'magazine' ? copy(rows.get(id)) : null),
            item: (_: unknown, { id }: { id: string }) => copy(rows.get(id)),
            books: (_: unknown, { shelf }: { shelf: string }) =>
              [...rows.values()]
                .filter((r) => r.kind === 'book' && r.shelf === shelf)
                .sort((x, y) => Number(x.id) - Number(y.id))
                .map(copy),
            price: () => price,
          },
          Mutation: {
            rename: (_: unknown, { id, title }: { id: string; title: string }) => {
              const row = rows.get(id);
              if (row) row.title = title;
              return copy(row);
            },
            create: (_: unknown, args: { id: string; kind: 'book' | 'magazine'; title: string; shelf: string }) => {
              if (!rows.has(args.id)) rows.set(args.id, { ...args });
              return copy(rows.get(args.id));
            },
            move: (_: unknown, { id, shelf }: { id: string; shelf: string }) => {
              const row = rows.get(id);
              if (row) row.shelf = shelf;
              return copy(row);
            },
            delete: (_: unknown, { id }: { id: string }) => {
              const row = rows.get(id);
              rows.delete(id);
              return copy(row);
            },
          },
        },
        { store: createMemoryStore({ clock }), cache: { clock } },
      );
      try {
        const check = async (after: string) => {
          const truth = (kind?: Row['kind']) => (id: string) => {
            const row = rows.get(id);
            return row && (!kind || row.kind === kind) ? row : null;
          };
          const books = (await h.run(QUERIES.books)).data!;
          for (const shelf of shelves) {
            const expected = [...rows.values()].filter((r) => r.kind === 'book' && r.shelf === shelf).sort((x, y) => Number(x.id) - Number(y.id));
            assert.deepEqual(
              books[shelf],
              expected.map((r) => ({ id: r.id, title: r.title })),
              `books(shelf: ${shelf}) after ${after}`,
            );
          }
          const book = (await h.run(QUERIES.book)).data!;
          const magazine = (await h.run(QUERIES.magazine)).data!;
          const item = (await h.run(QUERIES.item)).data!;
          for (const id of ids) {
            const b = truth('book')(id);
            assert.deepEqual(book[`b${id}`], b && { id, title: b.title }, `book(${id}) after ${after}`);
            const m = truth('magazine')(id);
            assert.deepEqual(magazine[`m${id}`], m && { id, title: m.title }, `magazine(${id}) after ${after}`);
            const i = truth()(id);
            assert.deepEqual(item[`i${id}`], i && { __typename: i.kind === 'book' ? 'Book' : 'Magazine', id, title: i.title }, `item(${id}) after ${after}`);
          }
          const read = (await h.run(QUERIES.price)).data!.price as number;
          const allowed = [price, ...pastPrices.filter((p) => p.until > now - 1000).map((p) => p.value)];
          assert.ok(allowed.includes(read), `price ${read} after ${after}: older than its 1 s maxAge (allowed ${allowed.join(', ')})`);
        };
        await check('warm-up');
        await check('warm-up (cached)');
        for (const s of steps) {
          switch (s.kind) {
            case 'rename':
              await h.run(`mutation { rename(id: "${s.id}", title: "${s.title}") { id } }`);
              break;
            case 'create':
              await h.run(`mutation { create(id: "${s.id}", kind: "${s.type}", title: "new", shelf: "${s.shelf}") { id } }`);
              break;
            case 'move':
              await h.run(`mutation { move(id: "${s.id}", shelf: "${s.shelf}") { id } }`);
              break;
            case 'delete':
              await h.run(`mutation { delete(id: "${s.id}") { id } }`);
              break;
            case 'price':
              pastPrices.push({ value: price, until: now });
              price = s.value;
              break;
            case 'tick':
              now += s.ms;
              break;
          }
          await check(JSON.stringify(s));
        }
        const stats = h.cache.stats();
        assert.ok(stats.hits + stats.operationHits > 0, 'the property is only meaningful if reads were served from cache');
      } finally {
        await h.stop();
        await h.cache.close();
      }
    }),
    { numRuns: 30 },
  );
});

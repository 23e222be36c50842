/**
 * Property: after any acknowledged sequence of creates, updates (moves
 * between scopes included) and deletes, every cached list answers exactly
 * what a fresh evaluation of its filter answers. No list ever misses an item
 * it should contain, and none keeps one it should not.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createTestArticles } from '../../helpers/articles.js';

const categories = ['audio', 'video', 'text'] as const;
const booleans = [true, false] as const;
const authors = ['1', '2'] as const;

type Change =
  | { kind: 'create'; published: boolean; category: string; authorId: string }
  | { kind: 'update'; pick: number; published?: boolean; category?: string }
  | { kind: 'delete'; pick: number };

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    published: fc.constantFrom(...booleans),
    category: fc.constantFrom(...categories),
    authorId: fc.constantFrom(...authors),
  }),
  fc.record(
    { kind: fc.constant('update' as const), pick: fc.nat(), published: fc.constantFrom(...booleans), category: fc.constantFrom(...categories) },
    { requiredKeys: ['kind', 'pick'] },
  ),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
);

// Every list query shape: each filter absent, or one of its values.
const listQueries: { alias: string; args: { published?: boolean; category?: string } }[] = [];
for (const published of [undefined, ...booleans]) {
  for (const category of [undefined, ...categories]) {
    listQueries.push({
      alias: `l${listQueries.length}`,
      args: { ...(published === undefined ? {} : { published }), ...(category === undefined ? {} : { category }) },
    });
  }
}
const argText = (args: Record<string, unknown>) => {
  const parts = Object.entries(args).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  return parts.length ? `(${parts.join(', ')})` : '';
};
const QUERY = `{
  ${listQueries.map((q) => `${q.alias}: articles${argText(q.args)} { id }`).join('\n  ')}
  ${authors.map((a) => `a${a}: author(id: "${a}") { all: articles { id } published: articles(published: true) { id } }`).join('\n  ')}
  ${categories.map((c) => `c_${c}: articlesConnection(category: "${c}", first: 100) { edges { node { id } } }`).join('\n  ')}
}`;

// The last variant's data layer returns `published` as 1 or 0 (as MySQL and SQLite do): lists compare serialized values.
for (const { operationCache, booleansAsNumbers } of [
  { operationCache: false, booleansAsNumbers: false },
  { operationCache: true, booleansAsNumbers: false },
  { operationCache: true, booleansAsNumbers: true },
]) {
  test(`no cached list misses an item it should contain after a mutation is acknowledged (operation tier ${operationCache ? 'on' : 'off'}${booleansAsNumbers ? ', booleans stored as numbers' : ''})`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 12 }), async (changes) => {
        const app = await createTestArticles({ operationCache, booleansAsNumbers });
        await app.run(QUERY); // warm every list
        for (const c of changes) {
          const existing = [...app.db.articles.keys()];
          if (c.kind === 'create') {
            await app.run(`mutation($input: CreateArticleInput!) { createArticle(input: $input) { id published category authorId } }`, {
              input: { title: 't', published: c.published, category: c.category, authorId: c.authorId },
            });
          } else if (existing.length > 0 && c.kind === 'update') {
            const id = existing[c.pick % existing.length]!;
            const input = { ...(c.published === undefined ? {} : { published: c.published }), ...(c.category === undefined ? {} : { category: c.category }) };
            await app.run(`mutation($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { id published category authorId } }`, {
              id,
              input,
            });
          } else if (existing.length > 0 && c.kind === 'delete') {
            await app.run(`mutation($id: ID!) { deleteArticle(id: $id) { id published category authorId } }`, { id: existing[c.pick % existing.length]! });
          }
          const result = (await app.run(QUERY)).data as Record<string, unknown>;
          const truth = (filter: Parameters<typeof app.db.list>[0]) => app.db.list(filter).map((a) => a.id);
          for (const q of listQueries)
            assert.deepEqual(
              (result[q.alias] as { id: string }[]).map((a) => a.id),
              truth(q.args),
              `articles${argText(q.args)} after ${JSON.stringify(c)}`,
            );
          for (const a of authors) {
            const author = result[`a${a}`] as { all: { id: string }[]; published: { id: string }[] };
            assert.deepEqual(
              author.all.map((x) => x.id),
              truth({ authorId: a }),
            );
            assert.deepEqual(
              author.published.map((x) => x.id),
              truth({ authorId: a, published: true }),
            );
          }
          for (const cat of categories) {
            assert.deepEqual(
              (result[`c_${cat}`] as { edges: { node: { id: string } }[] }).edges.map((e) => e.node.id),
              truth({ category: cat }),
            );
          }
        }
        const stats = app.cache.stats();
        assert.ok(stats.hits + stats.operationHits > 0, 'the property is only meaningful if lists were served from cache');
      }),
      { numRuns: 25 },
    );
  });
}

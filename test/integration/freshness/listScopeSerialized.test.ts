/**
 * `@listScope` compares values as GraphQL serializes them: a `published: Boolean!` the data layer returns as 1 (as
 * MySQL and SQLite drivers do) belongs in `articles(published: true)`, on the query's side and the mutation's.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestArticles } from '../../helpers/articles.js';

test('an article created with published stored as 1 shows up in the cached lists of published articles', async () => {
  const app = await createTestArticles({ booleansAsNumbers: true });
  const QUERY = `{ articles(published: true) { id } author(id: "1") { articles(published: true) { id } } }`;
  const before = (await app.run(QUERY)).data as { articles: { id: string }[]; author: { articles: { id: string }[] } };
  await app.run(QUERY);
  const created = await app.run(
    `mutation { createArticle(input: { id: "77", title: "t", published: true, category: "audio", authorId: "1" }) { id published } }`,
  );
  assert.deepEqual({ ...(created.data?.createArticle as object) }, { id: '77', published: true }, "the mutation's own response shows true");
  const after = (await app.run(QUERY)).data as typeof before;
  assert.deepEqual(
    after.articles.map((a) => a.id),
    [...before.articles.map((a) => a.id), '77'],
  );
  assert.deepEqual(
    after.author.articles.map((a) => a.id),
    [...before.author.articles.map((a) => a.id), '77'],
  );
});

/** Scoped list invalidation on the Matroska case: create, update, delete, move, partial filters. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestArticles } from '../../helpers/articles.js';
import { outcomes } from '../../helpers/shop.js';

const LISTS = /* GraphQL */ `
  {
    all: articles {
      id
    }
    published: articles(published: true) {
      id
    }
    drafts: articles(published: false) {
      id
    }
    video: articles(category: "video") {
      id
    }
    audio: articles(category: "audio") {
      id
    }
    publishedVideo: articles(published: true, category: "video") {
      id
    }
    publishedAudio: articles(published: true, category: "audio") {
      id
    }
  }
`;

const ids = (data: unknown) => Object.fromEntries(Object.entries(data as Record<string, { id: string }[]>).map(([k, v]) => [k, v.map((a) => a.id)]));
/** The aliases of LISTS whose entries were hit. */
const hits = (result: Parameters<typeof outcomes>[0]) => {
  const fields = (result.extensions?.cachetag as { fields: { path: string; outcome: string }[] }).fields;
  return fields
    .filter((f) => f.outcome === 'hit')
    .map((f) => f.path)
    .sort();
};

async function warmed() {
  const app = await createTestArticles();
  await app.run(LISTS);
  return app;
}

test('creating an article invalidates exactly the lists it belongs in, including partially filtered and unfiltered ones', async () => {
  const app = await warmed();
  await app.run(
    `mutation { createArticle(input: { id: "9", title: "MKV chapters", published: true, category: "video", authorId: "1" }) { id title published category authorId } }`,
  );
  const after = await app.run(LISTS);
  assert.deepEqual(hits(after), ['audio', 'drafts', 'publishedAudio']);
  assert.deepEqual(ids(after.data), {
    all: ['1', '2', '3', '4', '9'],
    published: ['1', '2', '4', '9'],
    drafts: ['3'],
    video: ['1', '3', '9'],
    audio: ['2', '4'],
    publishedVideo: ['1', '9'],
    publishedAudio: ['2', '4'],
  });
});

test('an update that moves an article between scopes refreshes the list it left and the list it entered', async () => {
  const app = await warmed();
  // Article 3: a video draft. Publish it and move it to audio.
  await app.run(`mutation { updateArticle(id: "3", input: { published: true, category: "audio" }) { id published category authorId } }`);
  const after = await app.run(LISTS);
  assert.deepEqual(ids(after.data), {
    all: ['1', '2', '3', '4'],
    published: ['1', '2', '3', '4'],
    drafts: [],
    video: ['1'],
    audio: ['2', '3', '4'],
    publishedVideo: ['1'],
    publishedAudio: ['2', '3', '4'],
  });
  assert.deepEqual(hits(after), ['publishedVideo'], 'every other list contained article 3 before or contains it now');
});

test('a delete returning the deleted article invalidates the lists that held it, and only those', async () => {
  const app = await warmed();
  await app.run(`mutation { deleteArticle(id: "4") { id published category authorId } }`);
  const after = await app.run(LISTS);
  assert.deepEqual(hits(after), ['drafts', 'publishedVideo', 'video']);
  assert.deepEqual(ids(after.data).audio, ['2']);
});

test('a mutation result without the filtered fields falls back to every list of the type, with one warning', async () => {
  const app = await warmed();
  await app.run(`mutation { createArticle(input: { id: "10", title: "x", published: false, category: "video", authorId: "2" }) { id } }`);
  // The resolver returns the whole row, so this one is precise; now hide the fields from the raw result:
  const create = app.db.create.bind(app.db);
  app.db.create = (input) => {
    const row = create(input);
    return { id: row.id, title: row.title } as never;
  };
  await app.run(`mutation { createArticle(input: { id: "11", title: "y", published: true, category: "audio", authorId: "2" }) { id } }`);
  const after = await app.run(LISTS);
  assert.deepEqual(hits(after), []);
  assert.deepEqual(app.warnings, [
    '[cachetag] Mutation.createArticle returned a value of type Article without fields its lists filter by (Query.articles: "published", "category"; Query.articlesConnection: "category"; Author.articles: "authorId", "published"), so every cached list of it was invalidated ("Article:%list"). Return those fields from the mutation to invalidate only the lists the Article belongs in.',
  ]);
});

test('lists below an entity are scoped by the parent ($parent.id)', async () => {
  const app = await createTestArticles();
  const query = `{ a1: author(id: "1") { articles { id } published: articles(published: true) { id } } a2: author(id: "2") { articles { id } } }`;
  await app.run(query);
  await app.run(
    `mutation { createArticle(input: { id: "12", title: "z", published: false, category: "audio", authorId: "2" }) { id published category authorId } }`,
  );
  const after = await app.run(query);
  assert.deepEqual(outcomes(after), ['Query.author:hit', 'Author.articles:hit', 'Author.articles:hit', 'Query.author:hit', 'Author.articles:miss:stale']);
  assert.deepEqual(
    (after.data?.a2 as { articles: { id: string }[] }).articles.map((a) => a.id),
    ['3', '4', '12'],
  );
});

test('connections: every page of a scope is refreshed, other scopes are not', async () => {
  const app = await createTestArticles();
  const pages = `{
    p1: articlesConnection(category: "audio", first: 1) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
    p2: articlesConnection(category: "audio", first: 1, after: "2") { edges { node { id } } pageInfo { hasNextPage } }
    video: articlesConnection(category: "video", first: 1) { edges { node { id } } }
  }`;
  await app.run(pages);
  await app.run(
    `mutation { createArticle(input: { id: "13", title: "w", published: true, category: "audio", authorId: "1" }) { id published category authorId } }`,
  );
  const after = await app.run(pages);
  assert.deepEqual(hits(after), ['video']);
  assert.equal((after.data?.p2 as { pageInfo: { hasNextPage: boolean } }).pageInfo.hasNextPage, true, 'page 2 now has a successor (article 13)');
});

test('invalidateEntities() does the same for writes made outside GraphQL', async () => {
  const app = await warmed();
  app.db.create({ id: '14', title: 'out of band', published: false, category: 'audio', authorId: '1' });
  await app.cache.invalidateEntities([{ __typename: 'Article', id: '14', published: false, category: 'audio', authorId: '1' }]);
  const after = await app.run(LISTS);
  assert.deepEqual(hits(after), ['published', 'publishedAudio', 'publishedVideo', 'video']);
  await assert.rejects(app.cache.invalidateEntities([{ __typename: 'Nope', id: 1 }]), { code: 'INVALID_TAG' });
});

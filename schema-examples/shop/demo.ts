/**
 * A guided tour for newcomers (`npm run demo`): starts the shop on a free
 * port (in-memory store) and walks through query → cached query → mutation →
 * fresh query, printing what the cache did and what the data layer was asked.
 */
import { createShop } from './app.js';

const shop = await createShop();
const { port } = await shop.listen(0);
const endpoint = `http://127.0.0.1:${port}/graphql`;

interface DebugOperation {
  outcome: string;
  reason?: string;
  tags?: string[];
}

interface DebugField {
  path: string;
  outcome: string;
  reason?: string;
  tags?: string[];
}

async function step(title: string, query: string): Promise<void> {
  shop.db.resetCalls();
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-cachetag-debug': '1' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as {
    data?: unknown;
    errors?: unknown;
    extensions?: { cachetag?: { operation?: DebugOperation; fields: DebugField[]; invalidated?: string[] } };
  };
  await shop.cache.idle();
  console.log(`\n== ${title}`);
  console.log(`   ${query.replace(/\s+/g, ' ').trim()}`);
  console.log(`   data: ${JSON.stringify(body.data ?? body.errors)}`);
  // The operation tier answers a repeated query with the stored response before any field runs: say so.
  const operation = body.extensions?.cachetag?.operation;
  if (operation) {
    const detail = operation.outcome === 'hit' ? '(the stored response; no field ran)' : operation.reason ? `(${operation.reason})` : '';
    console.log(`   operation ${operation.outcome} ${detail}${operation.tags ? `  tags: ${operation.tags.join(' ')}` : ''}`);
  }
  for (const field of body.extensions?.cachetag?.fields ?? []) {
    console.log(`   ${field.outcome.padEnd(6)} ${field.path}${field.reason ? ` (${field.reason})` : ''}${field.tags ? `  tags: ${field.tags.join(' ')}` : ''}`);
  }
  if (body.extensions?.cachetag?.invalidated) console.log(`   invalidated: ${body.extensions.cachetag.invalidated.join(' ')}`);
  console.log(`   data-source calls: ${shop.db.totalCalls} ${JSON.stringify(shop.db.calls)}`);
}

const page = `{ product(id: "42") { name price store { name } reviews { rating } } }`;
await step('1. A cold query: every cached field misses and the data source is called', page);
await step('2. The same query: the operation tier answers with the stored response, no field runs, no data-source call', page);
await step(
  '3. A mutation: the product it returns (Product:42) is invalidated before the response is sent',
  `mutation { updateProduct(id: "42", input: { price: 12.5 }) { id price } }`,
);
await step('4. The query again: the entries that depended on Product:42 missed as stale, the data is fresh', page);
await step(
  '5. A new review invalidates Product:42:reviews (declared with @invalidates), nothing else',
  `mutation { createReview(productId: "42", input: { rating: 5, body: "Lovely" }) { id } }`,
);
await step('6. Only the reviews are fetched again', page);

const stats = shop.cache.stats();
console.log(`\ncache stats: ${stats.hits} hits, ${stats.misses} misses, ${stats.invalidations} invalidations`);
await shop.stop();

// Part two: lists that know what belongs in them (schema-examples/articles).
const { createArticlesServer } = await import('../articles/app.js');
const articles = await createArticlesServer();
async function articleStep(title: string, query: string): Promise<void> {
  articles.db.resetCalls();
  const response = await articles.apollo.executeOperation({ query }, { contextValue: { db: articles.db } });
  await articles.cache.idle();
  const result = (response.body as { singleResult: { data?: unknown; extensions?: { cachetag?: { fields: DebugField[]; invalidated?: string[] } } } })
    .singleResult;
  console.log(`\n== ${title}`);
  console.log(`   ${query.replace(/\s+/g, ' ').trim()}`);
  console.log(`   data: ${JSON.stringify(result.data)}`);
  for (const field of result.extensions?.cachetag?.fields ?? [])
    console.log(`   ${field.outcome.padEnd(6)} ${field.path}${field.reason ? ` (${field.reason})` : ''}`);
  if (result.extensions?.cachetag?.invalidated) console.log(`   invalidated: ${result.extensions.cachetag.invalidated.join(' ')}`);
  console.log(`   data-source calls: ${articles.db.totalCalls}`);
}
const lists = `{ video: articles(published: true, category: "video") { id } audio: articles(published: true, category: "audio") { id } published: articles(published: true) { id } }`;
await articleStep('7. Three cached lists of articles (published video, published audio, all published)', lists);
await articleStep(
  '8. A new published video article: its lists are invalidated by scope, though it was in none of them',
  `mutation { createArticle(input: { title: "MKV chapters", published: true, category: "video", authorId: "1" }) { id published category authorId } }`,
);
await articleStep('9. The video and all-published lists are fetched again; the audio list is still a hit', lists);
await articles.apollo.stop();

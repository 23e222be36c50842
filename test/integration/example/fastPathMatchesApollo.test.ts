/**
 * The example's HTTP fast path answers exactly what Apollo answers (status, content type, Cache-Control, tags, body
 * bytes) or passes the request on: the same requests sent to the example with the fast path and to the same server
 * without it. Requests Apollo refuses (CSRF prevention, Accept it cannot serve, a persisted-query hash that does not
 * match, an empty operationName, malformed GET parameters) are refused alike; those it answers (POST, GET with
 * JSON-encoded variables, `Accept: application/graphql-response+json`) are answered by the fast path.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createShop, type Shop } from '../../../schema-examples/shop/app.js';

interface Endpoint {
  shop: Shop;
  base: string;
  /** Requests that reached Apollo. */
  apolloCalls: number;
}

const endpoints: Record<'fast' | 'apollo' | 'fastCachetag' | 'apolloCachetag', Endpoint> = {} as typeof endpoints;
before(async () => {
  for (const [name, fastPath, cacheControl] of [
    ['fast', true, 'apollo'],
    ['apollo', false, 'apollo'],
    ['fastCachetag', true, 'cachetag'],
    ['apolloCachetag', false, 'cachetag'],
  ] as const) {
    const shop = await createShop({ fastPath, plugin: { cacheControl } });
    const endpoint: Endpoint = { shop, base: '', apolloCalls: 0 };
    const execute = shop.apollo.executeHTTPGraphQLRequest.bind(shop.apollo);
    shop.apollo.executeHTTPGraphQLRequest = (request) => (endpoint.apolloCalls++, execute(request));
    endpoint.base = `http://127.0.0.1:${(await shop.listen(0)).port}`;
    endpoints[name] = endpoint;
  }
});
after(async () => {
  for (const endpoint of Object.values(endpoints)) await endpoint.shop.stop();
});

const query = `query Page($id: ID!) { product(id: $id) { name price } }`;
const json = { 'content-type': 'application/json' };
const getUrl = (params: Record<string, string>) => `/graphql?${new URLSearchParams(params).toString()}`;

interface Case {
  name: string;
  path?: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Answered by the fast path (true), or passed on to Apollo (false). */
  fast: boolean;
  /** The landing page embeds per-process values: compare its head only. */
  headOnly?: boolean;
}

const cases: Case[] = [
  { name: 'a good POST', headers: json, body: JSON.stringify({ query, variables: { id: '42' }, operationName: 'Page' }), fast: true },
  {
    name: 'a GET with JSON-encoded variables and a preflight header',
    method: 'GET',
    path: getUrl({ query, variables: '{"id":"42"}', operationName: 'Page' }),
    headers: { 'apollo-require-preflight': 'true' },
    fast: true,
  },
  { name: 'a GET without a preflight header (CSRF)', method: 'GET', path: getUrl({ query, variables: '{"id":"42"}' }), fast: false },
  {
    name: 'a GET whose variables are not JSON',
    method: 'GET',
    path: getUrl({ query, variables: '{id:42}' }),
    headers: { 'apollo-require-preflight': 'true' },
    fast: false,
  },
  {
    name: 'a GET whose variables are a JSON array',
    method: 'GET',
    path: getUrl({ query, variables: '["42"]' }),
    headers: { 'apollo-require-preflight': 'true' },
    fast: false,
  },
  {
    name: 'a GET with the query twice',
    method: 'GET',
    path: `${getUrl({ query, variables: '{"id":"42"}' })}&query=x`,
    headers: { 'apollo-require-preflight': 'true' },
    fast: false,
  },
  {
    name: 'a browser GET (Accept: text/html)',
    method: 'GET',
    path: getUrl({ query, variables: '{"id":"42"}' }),
    headers: { 'apollo-require-preflight': 'true', accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    fast: false,
    headOnly: true,
  },
  { name: 'a text/plain POST (CSRF)', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query, variables: { id: '42' } }), fast: false },
  {
    name: 'a form POST (CSRF)',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: JSON.stringify({ query, variables: { id: '42' } }),
    fast: false,
  },
  { name: 'a POST accepting only text/html', headers: { ...json, accept: 'text/html' }, body: JSON.stringify({ query, variables: { id: '42' } }), fast: false },
  {
    name: 'a POST accepting application/graphql-response+json',
    headers: { ...json, accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables: { id: '42' } }),
    fast: true,
  },
  {
    name: 'a POST preferring application/graphql-response+json',
    headers: { ...json, accept: 'application/json;q=0.9, application/graphql-response+json' },
    body: JSON.stringify({ query, variables: { id: '42' } }),
    fast: true,
  },
  {
    name: 'a persisted-query hash that does not match the query',
    headers: json,
    body: JSON.stringify({ query, variables: { id: '42' }, extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }),
    fast: false,
  },
  { name: 'operationName ""', headers: json, body: JSON.stringify({ query, variables: { id: '42' }, operationName: '' }), fast: false },
  { name: 'variables as a JSON string in a POST', headers: json, body: JSON.stringify({ query, variables: '{"id":"42"}' }), fast: false },
];

async function send(endpoint: Endpoint, c: Case) {
  const response = await fetch(`${endpoint.base}${c.path ?? '/graphql'}`, {
    method: c.method ?? 'POST',
    headers: c.headers ?? {},
    ...(c.body !== undefined ? { body: c.body } : {}),
  });
  const body = Buffer.from(await response.arrayBuffer()).toString('utf8');
  await endpoint.shop.cache.idle();
  return {
    status: response.status,
    // Every header but the date: content type, Cache-Control, the tags header, and no other.
    headers: Object.fromEntries([...response.headers].filter(([name]) => name !== 'date')),
    ...(c.headOnly ? {} : { body }),
  };
}

for (const [mode, fast, apollo] of [
  ["cacheControl: 'apollo'", 'fast', 'apollo'],
  ["cacheControl: 'cachetag'", 'fastCachetag', 'apolloCachetag'],
] as const) {
  test(`${mode}: every request is answered by the fast path exactly as by Apollo, or passed on`, async () => {
    // Warm both servers: the response of the query is stored.
    for (const endpoint of [endpoints[fast], endpoints[apollo]]) await send(endpoint, cases[0]!);
    for (const c of cases) {
      const before = endpoints[fast].apolloCalls;
      const expected = await send(endpoints[apollo], c);
      const actual = await send(endpoints[fast], c);
      assert.deepEqual(actual, expected, c.name);
      assert.equal(endpoints[fast].apolloCalls - before, c.fast ? 0 : 1, `${c.name}: ${c.fast ? 'answered by the fast path' : 'passed on to Apollo'}`);
    }
  });
}

test('an empty operationName is answered as Apollo answers it, by neither cache tier', async () => {
  const c = cases.find((x) => x.name === 'operationName ""')!;
  const answer = await send(endpoints.apollo, c);
  assert.match(answer.body ?? '', /Unknown operation named \\"\\"/);
  assert.equal(await endpoints.fast.shop.cache.storedResponse({ query, variables: { id: '42' }, operationName: '' }), undefined);
});

test('storedResponse() answers undefined for a body of null and other non-requests', async () => {
  const cache = endpoints.fast.shop.cache;
  for (const body of [null, undefined, 42, 'query', [{ query }]]) {
    assert.equal(await cache.storedResponse(body as never), undefined, JSON.stringify(body));
  }
});

/**
 * One scenario run against every drop-in: the same requests sent to the integration with its fast path and to the
 * same integration without it (what the server alone sends). Every answer must be identical (status, every header but
 * the date, body bytes), and the fast one must have skipped the server exactly where a stored response exists: hit,
 * miss, mutation then fresh, PRIVATE isolation, GET, persisted queries, bad input.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ShopData } from '../../schema-examples/shop/data.js';
import { resolvers, type ShopContext } from '../../schema-examples/shop/resolvers.js';
import { shopSessionId, shopTypeDefs } from '../../schema-examples/shop/app.js';
import { cacheDirectivesTypeDefs, createCache, requestHeader, type Cache, type FastPathRequest } from '../../src/index.js';
import { createApolloPlugin, type CacheTagApolloPlugin } from '../../src/apollo/index.js';

export interface Target {
  /** Base URL of the GraphQL endpoint, e.g. http://127.0.0.1:1234/graphql. */
  url: string;
  /** Requests that reached the GraphQL server. */
  serverCalls(): number;
  /** Requests seen by the user's own middleware placed before the fast path. */
  middlewareCalls(): number;
  stop(): Promise<void>;
}

/** A shop Apollo Server with the cachetag plugin and a counter of the requests that reach it. */
export interface ShopApollo {
  db: ShopData;
  cache: Cache;
  plugin: CacheTagApolloPlugin<ShopContext>;
  apollo: ApolloServer<ShopContext>;
  calls: { count: number };
  context(userId: string | undefined): ShopContext;
}

export function shopApollo(): ShopApollo {
  const db = new ShopData();
  const cache = createCache({ sessionId: shopSessionId, strict: true });
  const plugin = createApolloPlugin<ShopContext>(cache, { debug: 'header', tagsHeader: 'Surrogate-Key' });
  const calls = { count: 0 };
  const counter: ApolloServerPlugin<ShopContext> = {
    async requestDidStart() {
      calls.count++;
    },
  };
  const apollo = new ApolloServer<ShopContext>({
    typeDefs: [cacheDirectivesTypeDefs, shopTypeDefs],
    resolvers,
    plugins: [plugin, counter],
    // Stack traces name the file that called Apollo, which differs between the two servers compared.
    includeStacktraceInErrorResponses: false,
  });
  return { db, cache, plugin, apollo, calls, context: (userId) => ({ db, ...(userId ? { userId } : {}) }) };
}

/** The shop's session, read from the raw request as shopSessionId reads it from the context. */
export const shopSessionFromRequest = (request: FastPathRequest) => requestHeader(request, 'x-user-id') || undefined;

interface Step {
  name: string;
  method?: 'GET' | 'POST';
  /** Appended to the endpoint URL (a query string). */
  search?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Answered by the fast path (the server not entered). */
  fast: boolean;
  /** A persisted query: answered by the fast path only where the integration knows the server's registry. */
  persisted?: boolean;
}

const json = { 'content-type': 'application/json' };
const product = 'query Page($id: ID!) { product(id: $id) { name price } }';
const productHash = createHash('sha256').update(product).digest('hex');
const me = '{ me { id name } }';
const post = (body: unknown, fast: boolean, name: string, headers: Record<string, string> = {}): Step => ({
  name,
  headers: { ...json, ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
  fast,
});
const get = (params: Record<string, string>, fast: boolean, name: string): Step => ({
  name,
  method: 'GET',
  search: `?${new URLSearchParams(params).toString()}`,
  headers: { 'apollo-require-preflight': 'true' },
  fast,
});
const apq = (hash: string, version = 1) => JSON.stringify({ persistedQuery: { version, sha256Hash: hash } });

/** The scenario, in order: each step depends on what the previous ones stored. */
export const steps: (Step | { name: string; mutate: true })[] = [
  post({ query: product, variables: { id: '42' } }, false, 'a first POST (miss: the server answers and stores)'),
  post({ query: product, variables: { id: '42' } }, true, 'the same POST (hit)'),
  get({ query: product, variables: '{"id":"42"}' }, true, 'the same query over GET (hit)'),
  post({ query: product, variables: { id: '7' } }, false, 'other variables (miss)'),
  { name: 'a mutation changes product 42', mutate: true },
  post({ query: product, variables: { id: '42' } }, false, 'after the mutation (stale: the server answers fresh data)'),
  post({ query: product, variables: { id: '42' } }, true, 'again (hit, fresh)'),
  post({ query: me }, false, 'PRIVATE for alice (miss)', { 'x-user-id': 'alice' }),
  post({ query: me }, true, 'PRIVATE for alice again (hit, from the session)', { 'x-user-id': 'alice' }),
  post({ query: me }, false, 'PRIVATE for bob (never alice answer)', { 'x-user-id': 'bob' }),
  post({ query: me }, false, 'PRIVATE without a session', {}),
  get({ extensions: apq('f'.repeat(64)) }, false, 'an unknown persisted-query hash (PersistedQueryNotFound)'),
  {
    ...post(
      { query: product, variables: { id: '42' }, extensions: { persistedQuery: { version: 1, sha256Hash: productHash } } },
      true,
      'a persisted query with its text (hit, registered)',
    ),
    persisted: true,
  },
  { ...get({ extensions: apq(productHash), variables: '{"id":"42"}' }, true, 'the persisted query by hash over GET (hit)'), persisted: true },
  {
    ...post(
      { variables: { id: '42' }, extensions: { persistedQuery: { version: 1, sha256Hash: productHash } } },
      true,
      'the persisted query by hash over POST (hit)',
    ),
    persisted: true,
  },
  get({ extensions: apq(productHash, 2), variables: '{"id":"42"}' }, false, 'a persisted query of another version'),
  post(
    { query: product, variables: { id: '42' }, extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
    false,
    'a hash that does not match the text',
  ),
  post('{"query": "{ product(id: 42) { name } }"', false, 'a malformed JSON body'),
  { ...post({ query: product, variables: { id: '42' } }, false, 'a text/plain body (CSRF prevention)'), headers: { 'content-type': 'text/plain' } },
  // Over Express's default JSON limit (100 kB): refused there by its body parser; elsewhere a new query text (a miss).
  post({ query: `${product}${' '.repeat(150_000)}`, variables: { id: '42' } }, false, 'a large body'),
  post({ query: product, variables: { id: {} } }, false, 'a variable of the wrong type'),
  post({ query: product, variables: { id: {} } }, false, 'the same again (nothing was stored)'),
  post({ query: product, variables: '{"id":"42"}' }, false, 'variables as a string'),
  { ...post({ query: product, variables: { id: '42' } }, false, 'a debug request'), headers: { ...json, 'x-cachetag-debug': '1' } },
];

/** Sends one request; the answer as compared: status, every header but the date, the body as text. */
export async function send(url: string, step: Pick<Step, 'method' | 'search' | 'headers' | 'body'>) {
  const response = await fetch(`${url}${step.search ?? ''}`, {
    method: step.method ?? 'POST',
    headers: step.headers ?? {},
    ...(step.body !== undefined ? { body: step.body } : {}),
  });
  const body = Buffer.from(await response.arrayBuffer()).toString('utf8');
  return { status: response.status, headers: Object.fromEntries([...response.headers].filter(([name]) => name !== 'date' && name !== 'keep-alive')), body };
}

/**
 * Runs the scenario: `fast` is the integration with its fast path, `slow` the same without it. `mutate` runs the
 * mutation on both (through their HTTP endpoints). `settle` waits for pending cache fills.
 */
export async function runScenario(fast: Target, slow: Target, settle: () => Promise<void>, options: { persistedQueries?: boolean } = {}): Promise<void> {
  for (const original of steps) {
    const step = 'mutate' in original || !original.persisted || options.persistedQueries !== false ? original : { ...original, fast: false };
    if ('mutate' in step) {
      for (const target of [fast, slow]) {
        const mutation = post({ query: 'mutation { updateProduct(id: "42", input: { price: 99.5 }) { id price } }' }, false, '');
        const answer = await send(target.url, mutation);
        assert.equal(answer.status, 200, answer.body);
        assert.match(answer.body, /99\.5/);
      }
      continue;
    }
    const before = fast.serverCalls();
    const slowBefore = slow.serverCalls();
    const middlewareBefore = fast.middlewareCalls();
    const slowMiddlewareBefore = slow.middlewareCalls();
    const expected = await send(slow.url, step);
    const actual = await send(fast.url, step);
    await settle();
    assert.deepEqual(actual, expected, step.name);
    // Passed on: the server was entered as often as without the fast path (body parsers refuse some requests first).
    const slowCalls = slow.serverCalls() - slowBefore;
    assert.equal(
      fast.serverCalls() - before,
      step.fast ? 0 : slowCalls,
      `${step.name}: ${step.fast ? 'answered by the fast path' : 'passed on to the server'}`,
    );
    if (step.fast) assert.equal(slowCalls, 1, `${step.name}: the server alone executes it`);
    // The user's code placed before the fast path runs as often as without it (body parsers refuse some requests first).
    assert.equal(fast.middlewareCalls() - middlewareBefore, slow.middlewareCalls() - slowMiddlewareBefore, `${step.name}: the user's middleware ran`);
    if (step.fast) assert.equal(fast.middlewareCalls() - middlewareBefore, 1, `${step.name}: the user's middleware ran before the fast path`);
  }
}

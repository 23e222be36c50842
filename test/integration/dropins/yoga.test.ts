/**
 * The Yoga plugin (cachetag/envelop) over real HTTP with GraphQL Yoga 5: the same scenario as the Apollo drop-ins
 * (hit, miss, mutation then fresh, PRIVATE isolation, GET, persisted queries, bad input), answer for answer what the
 * same Yoga server sends without the fast path, stored responses answered without parsing or executing, and the
 * user's own plugin placed before ours run for every request. Every server runs Yoga's APQ plugin (`useAPQ`); the fast
 * path answers persisted queries when given the same store, with `useAPQ` listed before or after it.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { createYoga, type Plugin } from 'graphql-yoga';
import { createInMemoryAPQStore, useAPQ, type APQStore } from '@graphql-yoga/plugin-apq';
import { ShopData } from '../../../schema-examples/shop/data.js';
import { resolvers } from '../../../schema-examples/shop/resolvers.js';
import { shopSessionId, shopTypeDefs } from '../../../schema-examples/shop/app.js';
import { cacheDirectivesTypeDefs, createCache, type Cache } from '../../../src/index.js';
import { useCacheTag } from '../../../src/envelop/index.js';
import { send, shopSessionFromRequest, type Target } from '../../helpers/integrationSuite.js';
import { dropinPair, listenOnLoopback, type DropinPair } from '../../helpers/dropinPair.js';

interface YogaTarget extends Target {
  cache: Cache;
  /** The store Yoga's APQ plugin registers persisted queries in. */
  apqStore: APQStore;
  paramsCalls(): number;
  executeCalls(): number;
}

/** Where `useAPQ` is listed: before `useCacheTag`, after it, or before it without its store given to `useCacheTag`. */
type ApqSetup = 'before' | 'after' | 'unshared';

async function start(fastPath: boolean, apq: ApqSetup): Promise<YogaTarget> {
  const db = new ShopData();
  const cache = createCache({ sessionId: shopSessionId, strict: true });
  const apqStore = createInMemoryAPQStore();
  const calls = { parse: 0, request: 0, params: 0, execute: 0 };
  // The user's own plugin, before ours (authentication, rate limits): runs for every request.
  const userPlugin: Plugin = {
    onRequest({ request, endResponse, fetchAPI }) {
      calls.request++;
      if (request.headers.get('x-deny')) endResponse(new fetchAPI.Response('denied', { status: 401 }));
    },
    onParse() {
      calls.parse++;
    },
    onParams() {
      calls.params++;
    },
    onExecute() {
      calls.execute++;
    },
  };
  const cacheTag = useCacheTag(cache, {
    tagsHeader: 'Surrogate-Key',
    debug: 'header',
    sessionIdFromRequest: shopSessionFromRequest,
    fastPath,
    ...(apq === 'unshared' ? {} : { persistedQueries: apqStore }),
  });
  const apqPlugin = useAPQ({ store: apqStore });
  const yoga = createYoga({
    schema: makeExecutableSchema({ typeDefs: [cacheDirectivesTypeDefs, shopTypeDefs], resolvers: resolvers as never }),
    plugins: apq === 'after' ? [userPlugin, cacheTag, apqPlugin] : [userPlugin, apqPlugin, cacheTag],
    context: ({ request }) => {
      const userId = request.headers.get('x-user-id');
      return { db, ...(userId ? { userId } : {}) };
    },
    logging: false,
    maskedErrors: true,
  });
  const server = createServer(yoga);
  return {
    cache,
    apqStore,
    url: await listenOnLoopback(server),
    serverCalls: () => calls.parse,
    paramsCalls: () => calls.params,
    executeCalls: () => calls.execute,
    middlewareCalls: () => calls.request,
    async stop() {
      server.close();
      await cache.close();
    },
  };
}

const pair = dropinPair((fastPath) => start(fastPath, 'before'));
const apqAfter = dropinPair((fastPath) => start(fastPath, 'after'));
const unshared = dropinPair((fastPath) => start(fastPath, 'unshared'));
const settle = (target: YogaTarget) => target.cache.idle();

test('Yoga: every request answered as Yoga answers it, from the cache where it can (useAPQ before useCacheTag)', async () => {
  await pair.scenario(settle);
});

test('Yoga: the same with useAPQ listed after useCacheTag', async () => {
  await apqAfter.scenario(settle);
});

test('Yoga: without the APQ store, persisted queries all go to Yoga, as before', async () => {
  await unshared.scenario(settle, { persistedQueries: false });
});

test('Yoga: a plugin before ours can refuse a request the cache would answer', async () => {
  const body = JSON.stringify({ query: 'query Page($id: ID!) { product(id: $id) { name price } }', variables: { id: '42' } });
  const response = await fetch(pair.fast.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-deny': '1' }, body });
  assert.equal(response.status, 401);
});

test('Yoga: a mutation invalidates before its response, and debug requests report the operation tier', async () => {
  const read = (headers: Record<string, string> = {}) =>
    fetch(pair.fast.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ product(id: "43") { name price } }' }),
    });
  await read();
  await pair.fast.cache.idle();
  const debug = (await (await read({ 'x-cachetag-debug': '1' })).json()) as { extensions: { cachetag: { operation: { outcome: string } } } };
  assert.equal(debug.extensions.cachetag.operation.outcome, 'hit');
  const mutation = await fetch(pair.fast.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation { updateProduct(id: "43", input: { price: 1.25 }) { id price } }' }),
  });
  assert.equal(mutation.status, 200);
  const after = (await (await read()).json()) as { data: { product: { price: number } } };
  assert.equal(after.data.product.price, 1.25);
});

test('Yoga: a plain JSON POST is answered at the first hook, before Yoga parses the request', async () => {
  const body = JSON.stringify({ query: '{ product(id: "44") { name } }' });
  const post = (accept?: string) =>
    fetch(pair.fast.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) }, body });
  await (await post()).text();
  await pair.fast.cache.idle();
  const before = pair.fast.paramsCalls();
  const hit = await post('application/graphql-response+json');
  assert.equal(hit.headers.get('content-type'), 'application/graphql-response+json; charset=utf-8');
  assert.deepEqual(await hit.json(), { data: { product: { name: 'Product 44' } } });
  assert.equal(pair.fast.paramsCalls(), before, 'Yoga never reached onParams');
  // Yoga's result processing would stream it as events: left to Yoga.
  const stream = await post('text/event-stream');
  await stream.text();
  assert.equal(pair.fast.paramsCalls(), before + 1);
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (sha256Hash: unknown, version: unknown = 1) => ({ persistedQuery: { version, sha256Hash } });
const jsonPost = (body: unknown, headers: Record<string, string> = {}) => ({
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const hashGet = (sha256Hash: string, headers: Record<string, string> = {}) => ({
  method: 'GET' as const,
  search: `?${new URLSearchParams({ extensions: JSON.stringify(persisted(sha256Hash)) }).toString()}`,
  headers,
});

/**
 * Sends a request to both servers of a pair: the fast one must answer byte for byte as Yoga alone does, and parse the
 * document (Yoga's `onParse`) only when `fast` is false, as often as Yoga alone does.
 */
async function expectAnswer(on: DropinPair<YogaTarget>, request: Parameters<typeof send>[1], fast: boolean, name: string) {
  const parsedBefore = [on.fast.serverCalls(), on.slow.serverCalls()];
  const expected = await send(on.slow.url, request);
  const actual = await send(on.fast.url, request);
  await Promise.all([on.fast.cache.idle(), on.slow.cache.idle()]);
  assert.deepEqual(actual, expected, name);
  const slowParsed = on.slow.serverCalls() - parsedBefore[1]!;
  assert.equal(on.fast.serverCalls() - parsedBefore[0]!, fast ? 0 : slowParsed, `${name}: ${fast ? 'answered by the fast path' : 'passed on to Yoga'}`);
  return actual;
}

test('Yoga: a persisted query with its text is answered at the first hook and registered as useAPQ would; then by its hash alone', async () => {
  const query = '{ product(id: "45") { name price } }';
  const sha256Hash = sha256(query);
  await expectAnswer(pair, jsonPost({ query }), false, 'the query, without persistedQuery (miss: stored)');
  const { fast } = pair;
  const counts = () => ({ params: fast.paramsCalls(), execute: fast.executeCalls() });
  const before = counts();
  const withText = await expectAnswer(pair, jsonPost({ query, extensions: persisted(sha256Hash) }), true, 'hash and text (hit)');
  assert.equal(withText.status, 200);
  assert.deepEqual(counts(), before, "answered at onRequest: no plugin's onParams ran, nothing executed");
  assert.equal(await fast.apqStore.get(sha256Hash), query, 'the hash registered, as useAPQ would have');
  await expectAnswer(pair, jsonPost({ extensions: persisted(sha256Hash) }), true, 'the hash alone over POST (hit)');
  assert.deepEqual(counts(), before, 'by hash alone, at onRequest too');
  const byGet = await expectAnswer(pair, hashGet(sha256Hash), true, 'the hash alone over GET (hit)');
  assert.equal(byGet.status, 200);
  assert.deepEqual(counts(), { params: before.params + 1, execute: before.execute }, 'GET is answered at onParams, before execution');
});

test('Yoga: an unknown or mismatched hash, another version or a malformed persistedQuery get exactly what Yoga sends, and nothing is registered', async () => {
  for (const [order, on] of [
    ['useAPQ before', pair],
    ['useAPQ after', apqAfter],
  ] as const) {
    const query = '{ product(id: "46") { name } }';
    const good = sha256(query);
    const bad = sha256('{ product(id: "47") { name } }');
    await expectAnswer(on, jsonPost({ query }), false, `${order}: the query (miss: stored)`);
    const unknown = await expectAnswer(on, jsonPost({ extensions: persisted(bad) }), false, `${order}: an unknown hash`);
    assert.equal(unknown.status, 404);
    assert.match(unknown.body, /PersistedQueryNotFound/);
    assert.equal((await expectAnswer(on, hashGet(bad), false, `${order}: an unknown hash over GET`)).status, 404);
    const mismatched = await expectAnswer(on, jsonPost({ query, extensions: persisted(bad) }), false, `${order}: a hash that does not match the text`);
    assert.equal(mismatched.status, 400);
    assert.match(mismatched.body, /PersistedQueryMismatch/);
    await expectAnswer(on, jsonPost({ query, extensions: persisted(good.toUpperCase()) }), false, `${order}: the hash in upper case`);
    // useAPQ ignores these and Yoga executes the query text: never answered by the fast path, nothing registered.
    await expectAnswer(on, jsonPost({ query, extensions: persisted(good, 2) }), false, `${order}: another version`);
    await expectAnswer(on, jsonPost({ query, extensions: persisted(42) }), false, `${order}: a hash that is not a string`);
    await expectAnswer(on, jsonPost({ query, extensions: { persistedQuery: 'yes' } }), false, `${order}: a persistedQuery that is not an object`);
    await expectAnswer(on, jsonPost({ query, extensions: { persistedQuery: null } }), false, `${order}: a null persistedQuery`);
    for (const key of [bad, good, good.toUpperCase()]) assert.equal(await on.fast.apqStore.get(key), undefined, `${order}: ${key} was not registered`);
    // Still unknown afterwards: the fast path stored nothing for it either.
    assert.equal((await expectAnswer(on, jsonPost({ extensions: persisted(bad) }), false, `${order}: the unknown hash again`)).status, 404);
  }
});

test('Yoga: PRIVATE persisted queries are answered only for their own session', async () => {
  const query = 'query Me { me { id name } }';
  const sha256Hash = sha256(query);
  const alice = { 'x-user-id': 'alice' };
  await expectAnswer(pair, jsonPost({ query, extensions: persisted(sha256Hash) }, alice), false, 'alice, hash and text (miss: registered and stored)');
  await expectAnswer(pair, jsonPost({ extensions: persisted(sha256Hash) }, alice), true, 'alice by hash (hit, from her session)');
  await expectAnswer(pair, hashGet(sha256Hash, alice), true, 'alice by hash over GET (hit)');
  const bob = await expectAnswer(pair, jsonPost({ extensions: persisted(sha256Hash) }, { 'x-user-id': 'bob' }), false, "bob by hash (never alice's answer)");
  assert.doesNotMatch(bob.body, /alice/i);
  await expectAnswer(pair, jsonPost({ extensions: persisted(sha256Hash) }), false, 'by hash without a session');
});

/** screenRequest: Apollo's content negotiation and request rules, on the edge cases a differential test cannot list. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { queryHash, screenRequest, type ScreenResult } from '../../src/index.js';

const query = '{ a }';
const post = (headers: Record<string, string>, body: unknown = { query }) => screenRequest({ method: 'POST', headers, body });
const type = (result: ScreenResult) => (result.answer ? result.contentType : `pass: ${result.reason}`);
const JSON_TYPE = 'application/json; charset=utf-8';
const GR_TYPE = 'application/graphql-response+json; charset=utf-8';

test('the content type Apollo negotiates, or a pass when it would not answer JSON', () => {
  const cases: [string | undefined, string][] = [
    [undefined, JSON_TYPE],
    ['', JSON_TYPE],
    ['*/*', JSON_TYPE],
    ['application/json', JSON_TYPE],
    ['application/json; charset=utf-8', JSON_TYPE],
    ['application/graphql-response+json', GR_TYPE],
    ['application/graphql-response+json, application/json', GR_TYPE],
    ['application/json, application/graphql-response+json', JSON_TYPE],
    ['application/json;q=0.5, application/graphql-response+json', GR_TYPE],
    ['application/json;q=0, */*', GR_TYPE],
    ['application/*', JSON_TYPE],
    ['text/html', 'pass: the Accept header asks for another format'],
    ['application/json;q=0', 'pass: the Accept header asks for another format'],
    ['application/json; callbackSpec=1.0', 'pass: the Accept header asks for another format'],
    ['not a media type', 'pass: the Accept header asks for another format'],
  ];
  for (const [accept, expected] of cases) {
    assert.equal(type(post({ 'content-type': 'application/json', ...(accept !== undefined ? { accept } : {}) })), expected, `Accept: ${accept}`);
  }
});

test('POST bodies Apollo refuses are passed on; a good one becomes a request', () => {
  const json = { 'content-type': 'application/json' };
  assert.deepEqual(post(json, { query, variables: { id: 1 }, operationName: 'A', extensions: {} }), {
    answer: true,
    request: { query, variables: { id: 1 }, operationName: 'A' },
    contentType: JSON_TYPE,
  });
  for (const body of [
    null,
    [],
    {},
    { query: 1 },
    { query: '' },
    { query, variables: '{}' },
    { query, variables: [] },
    { query, operationName: 1 },
    { query, extensions: 'x' },
  ]) {
    assert.equal(post(json, body).answer, false, JSON.stringify(body));
  }
  assert.equal(post({ 'content-type': 'text/plain', 'apollo-require-preflight': 'true' }).answer, false, 'not JSON');
  assert.equal(post({}).answer, false, 'no content type: CSRF');
  assert.equal(screenRequest({ method: 'POST', headers: {}, body: { query } }, { csrfPrevention: false }).answer, false, 'still not JSON');
});

test('GET parameters are parsed as Apollo parses them; headers may be a Map-like or a Node record', () => {
  const search = `?${new URLSearchParams({ query, variables: '{"id":"1"}', extensions: '{}' }).toString()}`;
  const headers = new Map([['apollo-require-preflight', '1']]);
  assert.deepEqual(screenRequest({ method: 'GET', headers, search }), { answer: true, request: { query, variables: { id: '1' } }, contentType: JSON_TYPE });
  assert.equal(screenRequest({ method: 'GET', headers: { 'x-apollo-operation-name': ['A'] }, search }).answer, true);
  assert.equal(screenRequest({ method: 'GET', headers: { 'x-apollo-operation-name': '' }, search }).answer, false, 'an empty header does not count');
  assert.equal(screenRequest({ method: 'GET', headers: { 'x-custom': '1' }, search }, { csrfPrevention: { requestHeaders: ['X-Custom'] } }).answer, true);
  assert.equal(screenRequest({ method: 'GET', headers: {}, search }, { csrfPrevention: false }).answer, true);
  assert.equal(screenRequest({ method: 'GET', headers: { 'apollo-require-preflight': '1', 'content-type': 'text/plain' }, search }).answer, false, '415');
  assert.equal(screenRequest({ method: 'HEAD', headers: { 'apollo-require-preflight': '1' }, search }).answer, false);
});

test('persisted queries: version 1 and a hash matching the text (if sent) screen through, with what the caller must check', () => {
  const sha256Hash = queryHash(query);
  const json = { 'content-type': 'application/json' };
  const apq = (persistedQuery: unknown, withQuery = true) => post(json, { ...(withQuery ? { query } : {}), extensions: { persistedQuery } });
  const withText = apq({ version: 1, sha256Hash });
  assert.ok(withText.answer);
  assert.deepEqual(withText.persistedQuery, { sha256Hash, withQuery: true });
  assert.deepEqual(withText.request, { query });
  const byHash = apq({ version: 1, sha256Hash }, false);
  assert.ok(byHash.answer);
  assert.deepEqual(byHash.persistedQuery, { sha256Hash, withQuery: false });
  assert.deepEqual(byHash.request, { queryHash: sha256Hash });
  assert.equal(type(apq({ version: 1, sha256Hash: 'a'.repeat(64) })), 'pass: a persisted-query hash that does not match the query');
  assert.equal(type(apq({ version: 2, sha256Hash })), 'pass: a persisted query the server must check');
  assert.equal(type(apq({ version: 1, sha256Hash: sha256Hash.toUpperCase() }, false)), 'pass: a persisted query with a malformed hash');
  assert.equal(type(apq(null)), 'pass: a persisted query the server must check');
  assert.equal(type(post(json, { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: queryHash('') } } })), 'pass: no query text');
});

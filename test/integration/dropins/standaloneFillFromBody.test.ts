/**
 * The standalone drop-in stores a missed operation's response from the body Apollo serialized, instead of serializing
 * the response a second time for the store: with a custom `stringifyResult` the stored answer is then the very bytes
 * Apollo sent. The body is taken only when it is the data alone: a later plugin's extensions, or a serializer that
 * does not write compact `{"data":…}`, leave the fill to serialize the data itself, as before.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin } from '@apollo/server';
import { startStandaloneServer } from '../../../src/apollo/standalone.js';
import { createApolloPlugin } from '../../../src/apollo/plugin.js';
import { cacheDirectivesTypeDefs, createCache } from '../../../src/index.js';

process.env.NODE_ENV = 'test';

const typeDefs = /* GraphQL */ `
  type Query {
    dish(id: ID!): Dish
  }
  type Dish @cacheControl(maxAge: 60) {
    id: ID!
    name: String!
  }
`;
const query = 'query Dish($id: ID!) { dish(id: $id) { id name } }';

/**
 * A standalone server of one cached type: `send`, `resendFromStore` (once the fill settled, the same request again,
 * asserted to be answered without reaching Apollo), how many requests reached Apollo, and a stop.
 */
async function serve(options: { stringifyResult?: ApolloServerOptions<object>['stringifyResult']; after?: ApolloServerPlugin[] } = {}) {
  const cache = createCache({ strict: true });
  const plugin = createApolloPlugin(cache);
  const calls = { count: 0 };
  const counter: ApolloServerPlugin = {
    async requestDidStart() {
      calls.count++;
    },
  };
  const apollo = new ApolloServer<object>({
    typeDefs: [cacheDirectivesTypeDefs, typeDefs],
    resolvers: { Query: { dish: (_: unknown, { id }: { id: string }) => ({ id, name: 'Crème brûlée' }) } },
    plugins: [plugin, counter, ...(options.after ?? [])],
    ...(options.stringifyResult ? { stringifyResult: options.stringifyResult } : {}),
  });
  const { url } = await startStandaloneServer(apollo, { cache: plugin, listen: { port: 0, host: '127.0.0.1' } });
  const send = async (id: string) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { id } }) });
    return { status: response.status, text: await response.text() };
  };
  const resendFromStore = async (id: string) => {
    await cache.idle();
    const before = calls.count;
    const answer = await send(id);
    assert.equal(calls.count, before, 'answered by the fast path');
    return answer;
  };
  return { send, resendFromStore, calls, cache, stop: () => apollo.stop() };
}

/** Apollo's default serializer, but writing non-ASCII characters as \u escapes: equal JSON, other bytes. */
const asciiJson = (value: unknown) => JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';

test("a miss is stored from the body Apollo serialized: with a custom stringifyResult, the stored answer is Apollo's bytes", async () => {
  const server = await serve({ stringifyResult: asciiJson });
  try {
    const first = await server.send('1');
    assert.equal(first.text, '{"data":{"dish":{"id":"1","name":"Cr\\u00e8me br\\u00fbl\\u00e9e"}}}\n');
    const second = await server.resendFromStore('1');
    assert.equal(second.text, first.text, 'byte for byte what Apollo sent');
  } finally {
    await server.stop();
  }
});

test('extensions a later plugin adds are never stored: the data is serialized for the store instead', async () => {
  const addsExtensions: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind === 'single') response.body.singleResult.extensions = { traced: 'this request only' };
        },
      };
    },
  };
  const server = await serve({ after: [addsExtensions] });
  try {
    const first = await server.send('2');
    assert.match(first.text, /"extensions":\{"traced":"this request only"\}/);
    const second = await server.resendFromStore('2');
    assert.equal(second.text, '{"data":{"dish":{"id":"2","name":"Crème brûlée"}}}\n');
  } finally {
    await server.stop();
  }
});

test('a serializer that does not write compact {"data":…} is not stored from: the data is serialized for the store', async () => {
  const server = await serve({ stringifyResult: (value) => JSON.stringify(value, null, 2) });
  try {
    const first = await server.send('3');
    assert.match(first.text, /^\{\n {2}"data"/);
    const second = await server.resendFromStore('3');
    assert.equal(second.text, '{"data":{"dish":{"id":"3","name":"Crème brûlée"}}}\n');
  } finally {
    await server.stop();
  }
});

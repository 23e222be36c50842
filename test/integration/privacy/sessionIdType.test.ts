/**
 * Issue 18: a `sessionId` returning a user object put every user in one scope (`PRIVATE:[object Object]`). Strings
 * and finite numbers identify a session; anything else fails the request with INVALID_SESSION_ID, through Apollo.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApolloServer } from '@apollo/server';
import { createCache } from '../../../src/index.js';
import { createApolloPlugin } from '../../../src/apollo/index.js';
import { buildSchema } from '../../helpers/schema.js';

const typeDefs = /* GraphQL */ `
  type Query {
    me: User @cacheControl(maxAge: 60, scope: PRIVATE)
  }
  type User {
    name: String!
  }
`;
interface Ctx {
  user: { id: unknown; name: string };
}
const resolvers = { Query: { me: (_: unknown, __: unknown, ctx: Ctx) => ({ name: ctx.user.name }) } };

async function serverWith(sessionId: (ctx: unknown) => unknown, operationCache: boolean) {
  const cache = createCache({ sessionId: sessionId as (ctx: unknown) => string });
  const server = new ApolloServer<Ctx>({ schema: buildSchema(typeDefs, resolvers), plugins: [createApolloPlugin(cache, { operationCache })] });
  await server.start();
  const run = async (user: Ctx['user']) => {
    const response = await server.executeOperation({ query: '{ me { name } }' }, { contextValue: { user } });
    assert.equal(response.body.kind, 'single');
    return response.body.kind === 'single' ? response.body.singleResult : undefined;
  };
  return { server, run };
}

for (const operationCache of [false, true]) {
  test(`a sessionId returning an object fails the request, naming the option and what it returned (operationCache: ${operationCache})`, async () => {
    const { server, run } = await serverWith((ctx) => (ctx as Ctx).user, operationCache);
    try {
      for (const name of ['Alice', 'Bob']) {
        const result = await run({ id: name, name });
        assert.notEqual((result?.data?.me as { name: string } | null)?.name, 'Alice', `${name} never sees Alice`);
        assert.match(result?.errors?.[0]?.message ?? '', /sessionId function must return a string, a finite number, null or undefined; it returned an object/);
      }
    } finally {
      await server.stop();
    }
  });
}

test('a sessionId returning numbers keys each number apart', async () => {
  const { server, run } = await serverWith((ctx) => (ctx as Ctx).user.id, true);
  try {
    assert.equal(((await run({ id: 1, name: 'Alice' }))?.data?.me as { name: string }).name, 'Alice');
    assert.equal(((await run({ id: 2, name: 'Bob' }))?.data?.me as { name: string }).name, 'Bob');
    assert.equal(((await run({ id: 1, name: 'Alice again' }))?.data?.me as { name: string }).name, 'Alice', 'user 1 hits their own entry');
  } finally {
    await server.stop();
  }
});

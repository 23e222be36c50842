/**
 * A request that joined the flight of a resolver which then said PRIVATE (a dynamic hint) runs the resolver itself,
 * and what resolves below it is keyed by its session, as for the request that ran the flight. Found by the property
 * test: the joiner's cached child was keyed PUBLIC and served its value to everyone.
 */
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { test } from 'node:test';
import { ApolloServer } from '@apollo/server';
import type { GraphQLResolveInfo } from 'graphql';
import { createCache } from '../../../src/index.js';
import { createApolloPlugin } from '../../../src/apollo/index.js';
import { buildSchema } from '../../helpers/schema.js';

const typeDefs = /* GraphQL */ `
  type Query {
    account: Account @cacheControl(maxAge: 60)
    "The same account, reached without the hint: it must not find what bob's request stored below the hinted one."
    sameAccount: Account @cacheControl(maxAge: 60)
  }
  type Account {
    id: ID!
    statement: Statement @cacheControl(maxAge: 60)
  }
  type Statement {
    owner: String
  }
`;
interface Ctx {
  user?: string;
}
type Hinted = GraphQLResolveInfo & { cacheControl: { setCacheHint(hint: { scope: 'PRIVATE' }): void } };

test('a request that joined a flight a dynamic hint made PRIVATE keys the cached fields below it by its session', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const cache = createCache({ sessionId: (ctx) => (ctx as Ctx).user });
  const resolvers = {
    Query: {
      account: async (_: unknown, __: unknown, ctx: Ctx, info: Hinted) => {
        info.cacheControl.setCacheHint({ scope: 'PRIVATE' });
        if (ctx.user === 'alice') await gate;
        return { id: 'acc' };
      },
      sameAccount: () => ({ id: 'acc' }),
    },
    Account: { statement: (_: unknown, __: unknown, ctx: Ctx) => ({ owner: `u:${ctx.user}` }) },
  };
  const server = new ApolloServer<Ctx>({ schema: buildSchema(typeDefs, resolvers), plugins: [createApolloPlugin(cache, { operationCache: false })] });
  await server.start();
  const run = async (user?: string, root = 'account') => {
    const response = await server.executeOperation({ query: `{ ${root} { id statement { owner } } }` }, { contextValue: user ? { user } : {} });
    assert.equal(response.body.kind, 'single');
    return response.body.kind === 'single' ? JSON.stringify(response.body.singleResult.data) : '';
  };
  try {
    const alice = run('alice');
    const bob = run('bob');
    while (cache.stats().joinedFlights === 0) await tick();
    release();
    assert.match(await alice, /u:alice/);
    assert.match(await bob, /u:bob/);
    await cache.idle();
    assert.match(await run('carol'), /u:carol/);
    assert.match(await run(), /u:undefined/);
    assert.doesNotMatch(await run('dave', 'sameAccount'), /u:bob/);
  } finally {
    await server.stop();
  }
});

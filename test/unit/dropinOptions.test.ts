/** The drop-ins' misused options: each names the function, the option, what was expected and what was received (pinned word for word). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApolloServer } from '@apollo/server';
import { createAdapter, createCache } from '../../src/index.js';
import { withCacheTag } from '../../src/http/index.js';
import { useCacheTag } from '../../src/envelop/index.js';
import { cacheTagMiddleware } from '../../src/express/index.js';
import { cacheTagHook } from '../../src/fastify/index.js';
import { startStandaloneServer } from '../../src/apollo/standalone.js';

const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return `${(error as { code: string }).code}: ${(error as Error).message}`;
  }
  return 'no error';
};

test('misused drop-in options name the option, what was expected and what was received', async () => {
  const cache = createCache();
  const cases: [() => unknown, string][] = [
    [
      () => createAdapter(cache, { tagsHeader: 'Surrogate Key' }),
      'INVALID_OPTION: createAdapter: option "tagsHeader" must be an HTTP header name such as "Surrogate-Key"; received "Surrogate Key".',
    ],
    [
      () => createAdapter(cache, { sessionIdFromRequest: 'x-user-id' as never }),
      'INVALID_OPTION: createAdapter: option "sessionIdFromRequest" must be a function (request) => string | undefined; received "x-user-id".',
    ],
    [
      () => withCacheTag(cache, 'handler' as never),
      'INVALID_OPTION: withCacheTag: option "listener" must be a function (req, res, context) => void; received "handler".',
    ],
    [
      () => withCacheTag(cache, () => {}, { maxBodyBytes: -1 }),
      'INVALID_OPTION: withCacheTag: option "maxBodyBytes" must be a non-negative integer; received number -1.',
    ],
    [
      () => withCacheTag({} as never, () => {}),
      'INVALID_OPTION: withCacheTag: option "cache" must be a Cache from createCache() or the plugin from createApolloPlugin(); received an object.',
    ],
    [
      () => cacheTagMiddleware({} as never),
      'INVALID_OPTION: cacheTagMiddleware: option "cache" must be a Cache from createCache() or the plugin from createApolloPlugin(); received an object.',
    ],
    [
      () => cacheTagHook({} as never),
      'INVALID_OPTION: cacheTagHook: option "cache" must be a Cache from createCache() or the plugin from createApolloPlugin(); received an object.',
    ],
    [() => useCacheTag(cache, { debug: 'yes' as never }), `INVALID_OPTION: useCacheTag: option "debug" must be true, false or 'header'; received "yes".`],
  ];
  for (const [fn, expected] of cases) assert.equal(message(fn), expected);
  const server = new ApolloServer({ typeDefs: 'type Query { a: Int }' });
  await assert.rejects(
    startStandaloneServer(server, { cache: {} as never }),
    (error: Error) =>
      error.message ===
      'startStandaloneServer: option "cache" must be the plugin from createApolloPlugin() installed in the server, or a Cache from createCache(); received an object.',
  );
});

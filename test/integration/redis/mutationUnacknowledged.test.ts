/**
 * A mutation whose invalidation Redis does not acknowledge still answers its
 * data (the write happened), and says so: a warning through the cache's
 * logger and `extensions.cachetag.unacknowledged` listing the tags, over a
 * real Apollo Server.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApolloServer } from '@apollo/server';
import { Redis } from 'ioredis';
import { createApolloPlugin } from '../../../src/apollo/index.js';
import { createCache } from '../../../src/index.js';
import { createRedisStore } from '../../../src/stores/redis/index.js';
import { buildSchema } from '../../helpers/schema.js';
import { LOOPBACK, onCleanup, ownRedisOrSkip, uniquePrefix } from '../../helpers/redis.js';

test('a mutation answers its data and lists the unacknowledged tags in extensions', async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  await server.admin.acl('SETUSER', 'cache', 'on', '>secret', '~*', '&*', '+@all', '-hincrby');
  const store = createRedisStore({
    client: new Redis({ host: LOOPBACK, port: server.port, username: 'cache', password: 'secret', lazyConnect: true }),
    prefix: uniquePrefix('mut'),
    breakerThreshold: 1000,
  });
  const warnings: string[] = [];
  const cache = createCache({ store, logger: { warn: (m) => warnings.push(m) } });
  onCleanup(t, () => cache.close());
  assert.ok(await store.whenConnected());
  const schema = buildSchema(
    `type Query { org(id: ID!): Org @cacheControl(maxAge: 60) }
     type Mutation { renameOrg(id: ID!, name: String!): Org }
     type Org @cacheKey(fields: "id") { id: ID! name: String }`,
    {
      Query: { org: (_: unknown, { id }: { id: string }) => ({ id, name: 'old' }) },
      Mutation: { renameOrg: (_: unknown, { id, name }: { id: string; name: string }) => ({ id, name }) },
    },
  );
  const apollo = new ApolloServer({ schema, plugins: [createApolloPlugin(cache)] });
  await apollo.start();
  onCleanup(t, () => apollo.stop());

  const response = await apollo.executeOperation({ query: 'mutation { renameOrg(id: "1", name: "new") { id name } }' }, { contextValue: {} });
  assert.equal(response.body.kind, 'single');
  const result = (response.body as { singleResult: { data?: unknown; errors?: unknown; extensions?: Record<string, unknown> } }).singleResult;
  assert.equal(result.errors, undefined);
  assert.deepEqual(JSON.parse(JSON.stringify(result.data)), { renameOrg: { id: '1', name: 'new' } });
  assert.deepEqual((result.extensions?.cachetag as { unacknowledged?: string[] } | undefined)?.unacknowledged, ['Org:1']);
  assert.ok(
    warnings.some((w) => w.includes('INVALIDATION_UNACKNOWLEDGED')),
    `warned through the logger: ${JSON.stringify(warnings)}`,
  );
  assert.equal(cache.stats().unacknowledgedInvalidations, 1);
  assert.equal(cache.stats().invalidations, 0);
});

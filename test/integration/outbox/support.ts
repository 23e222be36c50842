/** Shared set-up of the outbox tests: an org table on PostgreSQL, a cache on Redis whose resolvers read it. */
import type { TestContext } from 'node:test';
import { execute, parse } from 'graphql';
import type pg from 'pg';
import { createCache, type Cache } from '../../../src/index.js';
import { createRedisStore, type RedisStore } from '../../../src/stores/redis/index.js';
import { buildSchema } from '../../helpers/schema.js';
import { onCleanup, uniquePrefix, type RedisTarget } from '../../helpers/redis.js';
import { uniqueTable } from '../../helpers/postgres.js';

export interface OrgApp {
  cache: Cache;
  store: RedisStore;
  orgs: string;
  /** Resolver calls so far (a cached read makes none). */
  calls(): number;
  /** `{ org(id) { name } }` through the cache. */
  readName(id: string): Promise<string>;
  /** `mutation { renameOrg }` with `context` (the caller binds it to a transaction). */
  rename(id: string, name: string, context: { client: pg.PoolClient }): Promise<unknown>;
}

export async function createOrgApp(t: TestContext, pool: pg.Pool, redis: Pick<RedisTarget, 'template'>): Promise<OrgApp> {
  const orgs = uniqueTable(t, pool, 'orgs');
  await pool.query(`CREATE TABLE ${orgs} (id text PRIMARY KEY, name text NOT NULL)`);
  await pool.query(`INSERT INTO ${orgs} VALUES ('1', 'Acme'), ('2', 'Globex')`);
  let calls = 0;
  const schema = buildSchema(
    `type Query { org(id: ID!): Org @cacheControl(maxAge: 60) }
     type Mutation { renameOrg(id: ID!, name: String!): Org }
     type Org @cacheKey(fields: "id") { id: ID! name: String }`,
    {
      Query: {
        org: async (_: unknown, { id }: { id: string }) => (calls++, (await pool.query(`SELECT id, name FROM ${orgs} WHERE id = $1`, [id])).rows[0]),
      },
      Mutation: {
        renameOrg: async (_: unknown, { id, name }: { id: string; name: string }, { client }: { client: pg.PoolClient }) =>
          (await client.query(`UPDATE ${orgs} SET name = $2 WHERE id = $1 RETURNING id, name`, [id, name])).rows[0],
      },
    },
  );
  const store = createRedisStore({ client: redis.template(), prefix: uniquePrefix('outbox') });
  const cache = createCache({ store, strict: true });
  onCleanup(t, () => cache.close());
  // Strict: a read before the store is ready would throw instead of bypassing.
  if (!(await store.whenConnected())) throw new Error('the Redis store did not connect');
  cache.instrumentSchema(schema);
  return {
    cache,
    store,
    orgs,
    calls: () => calls,
    async readName(id) {
      const result = await execute({ schema, document: parse(`{ org(id: "${id}") { id name } }`), contextValue: {} });
      if (result.errors) throw result.errors[0];
      await cache.idle();
      return (result.data as { org: { name: string } }).org.name;
    },
    async rename(id, name, context) {
      const result = await execute({ schema, document: parse(`mutation { renameOrg(id: "${id}", name: "${name}") { id name } }`), contextValue: context });
      if (result.errors) throw result.errors[0];
      return result.data;
    },
  };
}

/** Rows waiting in an outbox table. */
export async function outboxRows(pool: pg.Pool, table: string): Promise<number> {
  return Number((await pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
}

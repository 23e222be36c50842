/**
 * One server process of coldKeyLeases.test.ts: a cache on the shared Redis (leases on or off, in-process tier or
 * not), one cached field whose resolver is slow; on "go" it runs `concurrency` requests for the same cold key at
 * once and reports how often its resolver ran.
 * argv: port prefix leases(0|1) local(none|strict|fast) concurrency
 */
import { createInterface } from 'node:readline';
import { execute, parse } from 'graphql';
import { Redis } from 'ioredis';
import { createCache } from '../../../src/index.js';
import { createRedisStore } from '../../../src/stores/redis/index.js';
import { buildSchema } from '../../helpers/schema.js';

const [port, prefix, leases, local, concurrency] = process.argv.slice(2) as [string, string, string, string, string];
const store = createRedisStore({
  client: new Redis({ host: '127.0.0.1', port: Number(port), lazyConnect: true }),
  prefix,
  readTimeoutMs: 2000,
  writeTimeoutMs: 2000,
  // A loaded machine may starve a socket for a second: that must not read as Redis gone.
  socketTimeoutMs: 10_000,
  ...(leases === '1' ? { leases: { waitMs: 2000 } } : {}),
  ...(local === 'none' ? {} : { local: { mode: local as 'strict' | 'fast' } }),
});
if (!(await store.whenConnected())) throw new Error('child store did not connect');
const cache = createCache({ store, logger: { warn: () => {} } });
let runs = 0;
const schema = buildSchema(`type Query { org(id: ID!): Org @cacheControl(maxAge: 60) } type Org @cacheKey(fields: "id") { id: ID! name: String }`, {
  Query: {
    org: async (_: unknown, { id }: { id: string }) => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { id, name: `org ${id}` };
    },
  },
});
cache.instrumentSchema(schema);
const document = parse('{ org(id: "1") { id name } }');

const say = (message: object): void => void process.stdout.write(`${JSON.stringify(message)}\n`);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
say({ event: 'ready' });
while ((await lines.next()).value !== 'go');
const results = await Promise.all(Array.from({ length: Number(concurrency) }, () => execute({ schema, document, contextValue: {} })));
const wrong = results.filter((r) => r.errors !== undefined || (r.data as { org?: { name?: string } })?.org?.name !== 'org 1').length;
await cache.idle();
say({ event: 'done', runs, wrong });
await store.close();
process.exit(0);

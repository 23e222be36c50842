/**
 * One server process of the history checker: Apollo Server with the cachetag plugin (and the HTTP fast path, as the
 * shop example serves it) whose resolvers read and write the checker's versioned data service over loopback HTTP, so
 * every process sees the same data and only the cache stands between a write and a stale read.
 * Environment: DATA_URL (the data service), PORT, REDIS_URL or REDIS_CLUSTER (else the memory store), REDIS_PREFIX,
 * OPERATION_CACHE=0 (field tier only) and FAST_PATH=0; READ_TIMEOUT_MS / WRITE_TIMEOUT_MS / INVALIDATE_TIMEOUT_MS (Redis
 * deadlines; the checker raises them so that a loaded CI machine measures consistency, not the deadline mode, which the
 * fault matrix covers); LOCAL_TIER=strict|fast (the Redis store's in-process tier); SERVER_KIND=standalone|express|
 * fastify|yoga (served through that drop-in instead of this file's own node:http server); OUTBOX=relay|commit with
 * DATABASE_URL and OUTBOX_TABLE (each mutation runs in a PostgreSQL transaction whose invalidations go through the
 * outbox; `relay` answers after relaying them, `commit` right after the commit, leaving them to the started relay).
 * CHECKER_VERBOSE=1 prints the cache's warnings. GET /stats answers the cache's stats() and the failures the Redis store absorbed, by operation. CHECKER_SELF_TEST=drop-invalidations breaks the cache on
 * purpose (invalidations never reach the store), so the checker can show that it does see stale reads.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { cacheDirectivesTypeDefs, createCache, fastPathHeaders, screenRequest } from '../../../src/index.js';
import { createApolloPlugin } from '../../../src/apollo/index.js';
import { Cluster, Redis } from 'ioredis';
import { createMemoryStore, type Store } from '../../../src/index.js';
import { createRedisStore } from '../../../src/stores/redis/index.js';
import type { IntegrationKind } from './integrations.js';

interface Context {
  userId?: string;
}

const dataUrl = process.env.DATA_URL!;

async function data(path: string, write = false): Promise<unknown> {
  const response = await fetch(`${dataUrl}${path}`, { method: write ? 'POST' : 'GET' });
  if (!response.ok) throw new Error(`data service ${path}: ${response.status}`);
  return response.json();
}

const resolvers = {
  Query: {
    item: (_: unknown, { id }: { id: string }) => data(`/item/${id}`),
    items: (_: unknown, { listId }: { listId: string }) => data(`/list/${listId}`),
    me: (_: unknown, __: unknown, { userId }: Context) => (userId ? data(`/account/${userId}`) : null),
  },
  Mutation: {
    updateItem: (_: unknown, { id }: { id: string }) => data(`/item/${id}/update`, true),
    moveItem: (_: unknown, { id, listId }: { id: string; listId: string }) => data(`/item/${id}/move/${listId}`, true),
    createItem: (_: unknown, { id, listId, ownerId }: { id: string; listId: string; ownerId: string }) => data(`/item/${id}/create/${listId}/${ownerId}`, true),
    updateOwner: (_: unknown, { id }: { id: string }) => data(`/owner/${id}/update`, true),
    updateAccount: (_: unknown, __: unknown, { userId }: Context) => (userId ? data(`/account/${userId}/update`, true) : null),
  },
  Item: { owner: (item: { ownerId: string }) => data(`/owner/${item.ownerId}`) },
};

const absorbed: Record<string, number> = {};
function storeFromEnv(): Store {
  const env = process.env;
  if (!env.REDIS_URL && !env.REDIS_CLUSTER) return createMemoryStore();
  const client = env.REDIS_CLUSTER
    ? new Cluster(
        env.REDIS_CLUSTER.split(',').map((node) => ({ host: '127.0.0.1', port: Number(node.split(':')[1]) })),
        { lazyConnect: true },
      )
    : new Redis(env.REDIS_URL!, { lazyConnect: true });
  return createRedisStore({
    client,
    prefix: env.REDIS_PREFIX ?? 'cachetag',
    ...(env.READ_TIMEOUT_MS ? { readTimeoutMs: Number(env.READ_TIMEOUT_MS) } : {}),
    ...(env.WRITE_TIMEOUT_MS ? { writeTimeoutMs: Number(env.WRITE_TIMEOUT_MS) } : {}),
    ...(env.INVALIDATE_TIMEOUT_MS ? { invalidateTimeoutMs: Number(env.INVALIDATE_TIMEOUT_MS) } : {}),
    ...(env.LOCAL_TIER ? { local: { mode: env.LOCAL_TIER as 'strict' | 'fast' } } : {}),
    onError: (error, operation) => {
      absorbed[operation] = (absorbed[operation] ?? 0) + 1;
      if (absorbed[operation] === 1 && process.env.CHECKER_VERBOSE) console.warn(`[checker server] ${operation}: ${error.message}`);
    },
  });
}
const realStore = storeFromEnv();
if ('whenConnected' in realStore) await (realStore as { whenConnected(): Promise<void> }).whenConnected();
const store: Store =
  process.env.CHECKER_SELF_TEST === 'drop-invalidations'
    ? {
        get: (keys) => realStore.get(keys),
        set: (entries) => realStore.set(entries),
        close: () => realStore.close(),
        invalidate: async () => `dropped-${Math.random()}`,
      }
    : realStore;
const cache = createCache({
  store,
  logger: { warn: (message) => void (process.env.CHECKER_VERBOSE && console.warn(message)) },
  sessionId: (context) => (context as Context).userId,
});
const typeDefs = [cacheDirectivesTypeDefs, readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')];
const stats = () => ({ stats: cache.stats(), absorbed, rss: process.memoryUsage().rss });
const kind = process.env.SERVER_KIND;
if (kind) {
  // Imported only here: the drop-ins' frameworks cost each of the other server processes about a second of start-up.
  const { startIntegration } = await import('./integrations.js');
  const integration = await startIntegration(kind as IntegrationKind, { typeDefs, resolvers, cache, stats });
  console.log(`listening ${integration.port}`);
  process.on('SIGTERM', () => void integration.stop().then(() => cache.close().then(() => process.exit(0))));
} else {
  await serveDirectly();
}

/** The checker's own node:http server: Apollo's executeHTTPGraphQLRequest behind the HTTP fast path. */
async function serveDirectly(): Promise<void> {
  const plugin = createApolloPlugin<Context>(cache, { operationCache: process.env.OPERATION_CACHE !== '0' });
  const apollo = new ApolloServer<Context>({ typeDefs, resolvers, plugins: [plugin] });
  await apollo.start();
  const fastPath = process.env.FAST_PATH !== '0' && process.env.OPERATION_CACHE !== '0';
  const outbox = process.env.OUTBOX ? await (await import('./outbox.js')).startOutbox(cache) : undefined;

  const server = createServer((req, res) => {
    if (req.url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(stats()));
      return;
    }
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(key, value);
      const userId = headers.get('x-user-id');
      const context: Context = userId ? { userId } : {};
      if (fastPath) {
        const screened = screenRequest({ method: 'POST', headers, search: '', body });
        const stored = screened.answer ? await plugin.storedResponse(screened.request, context) : undefined;
        if (screened.answer && stored) {
          res.writeHead(200, { ...fastPathHeaders(screened.contentType, stored), 'x-answered-by': 'fast-path' });
          res.end(stored.bytes);
          return;
        }
      }
      const execute = () =>
        apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: 'POST', headers, search: '', body }, context: async () => context });
      const mutation = /^\s*mutation\b/.test((body as { query?: string }).query ?? '');
      const response = outbox && mutation ? await outbox.inTransaction(context, execute) : await execute();
      const out: Record<string, string> = {};
      for (const [key, value] of response.headers) out[key] = value;
      res.writeHead(response.status ?? 200, out);
      res.end(response.body.kind === 'complete' ? response.body.string : '');
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : 0}`);
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close();
    void apollo
      .stop()
      .then(() => outbox?.stop())
      .then(() => cache.close())
      .then(() => process.exit(0));
  });
}

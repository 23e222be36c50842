/**
 * Builds the shop: an Apollo Server with the cachetag plugin, served over
 * node:http at /graphql, with Prometheus text at /metrics and the cache's admin endpoints at /cachetag (for the CLI's
 * --url: loopback clients only, or a bearer token).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { Counter, Registry } from 'prom-client';
import { cacheDirectivesTypeDefs, createCache, type Cache, type CacheOptions } from '../../src/index.js';
import { cacheAdmin, requestHeader, type CacheAdminOptions } from '../../src/http/index.js';
import { createStandaloneListener } from '../../src/apollo/standalone.js';
import { createApolloPlugin, type ApolloPluginOptions } from '../../src/apollo/index.js';
import { registerPrometheusMetrics } from '../../src/metrics/prometheus.js';
import { ShopData } from './data.js';
import { resolvers, type ShopContext } from './resolvers.js';
import { createShopInvalidation, type ShopInvalidation } from './tags.js';

export const shopTypeDefs = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');

export interface ShopOptions {
  db?: ShopData;
  cache?: Partial<CacheOptions>;
  plugin?: ApolloPluginOptions;
  /** Answer stored responses before entering Apollo (the standalone listener's fast path). Default true. */
  fastPath?: boolean;
  /** Serve `GET /idle`, answered once every queued cache write has landed (`cache.idle()`): tests wait on it instead of sleeping. Default false. */
  idleRoute?: boolean;
  /** The admin endpoints at /cachetag (`cacheAdmin`): their options (a token), or false. Default: loopback clients only. */
  admin?: Omit<CacheAdminOptions, 'basePath'> | false;
}

export interface Shop {
  db: ShopData;
  cache: Cache;
  apollo: ApolloServer<ShopContext>;
  registry: Registry;
  /** Typed invalidation for writes made outside GraphQL, built from the generated tag helpers. */
  invalidate: ShopInvalidation;
  /** Handles one HTTP request (GraphQL at /graphql, metrics at /metrics). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Starts listening; resolves with the bound port. */
  listen(port: number, host?: string): Promise<{ server: Server; port: number }>;
  stop(): Promise<void>;
}

/** The session of a request: the `x-user-id` header. */
export const shopSessionId = (context: unknown) => (context as ShopContext).userId;

export async function createShop(options: ShopOptions = {}): Promise<Shop> {
  const db = options.db ?? new ShopData();
  const cache = createCache({ sessionId: shopSessionId, ...options.cache });
  const registry = new Registry();
  registerPrometheusMetrics(cache, { registry });
  const dataSourceCalls = new Counter({
    name: 'example_datasource_calls_total',
    help: 'Calls to the shop data layer.',
    labelNames: ['method'],
    registers: [registry],
  });
  let reported: Record<string, number> = {};
  dataSourceCalls.reset();
  const pluginOptions: ApolloPluginOptions = { debug: 'header', tagsHeader: 'Surrogate-Key', ...options.plugin };
  // Kept, not inlined: its storedResponse() is the fast path of this server's schema.
  const cachePlugin = createApolloPlugin<ShopContext>(cache, pluginOptions);
  const apollo = new ApolloServer<ShopContext>({
    typeDefs: [cacheDirectivesTypeDefs, shopTypeDefs],
    resolvers,
    plugins: [cachePlugin],
  });
  await apollo.start();

  // GraphQL requests go through cachetag's standalone listener (Apollo's standalone server with the fast path): a
  // stored response is answered before Apollo runs, for the requests Apollo would answer with it, persisted queries
  // included (Apollo's registry); the others (and debug requests) reach Apollo with the context built here.
  const graphql = createStandaloneListener<ShopContext>(apollo, {
    cache: cachePlugin,
    context: async ({ req }) => shopContext(req),
    // The session as shopSessionId reads it from the context: the x-user-id header. PRIVATE responses answer too.
    sessionIdFromRequest: (request) => requestHeader(request, 'x-user-id') || undefined,
    ...(options.fastPath === false ? { fastPath: false } : {}),
  });

  const admin = options.admin === false ? undefined : cacheAdmin(cache, { ...options.admin, basePath: '/cachetag' });

  function shopContext(req: IncomingMessage): ShopContext {
    const userId = req.headers['x-user-id'];
    return { db, ...(typeof userId === 'string' && userId ? { userId } : {}) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/metrics') {
      for (const [method, count] of Object.entries(db.calls)) {
        dataSourceCalls.inc({ method }, count - (reported[method] ?? 0));
      }
      reported = { ...db.calls };
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(await registry.metrics());
      return;
    }
    if (options.idleRoute && url.pathname === '/idle') {
      await cache.idle();
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('idle\n');
      return;
    }
    if (admin && (url.pathname === '/cachetag' || url.pathname.startsWith('/cachetag/'))) {
      admin(req, res);
      return;
    }
    if (url.pathname !== '/graphql') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found: GraphQL is served at /graphql, metrics at /metrics, the cache admin at /cachetag\n');
      return;
    }
    graphql(req, res);
  }

  let server: Server | undefined;
  return {
    db,
    cache,
    apollo,
    registry,
    invalidate: createShopInvalidation(cache),
    handle,
    async listen(port, host = '127.0.0.1') {
      server = createServer((req, res) => {
        handle(req, res).catch((error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`Internal error: ${error instanceof Error ? error.message : String(error)}\n`);
        });
      });
      await new Promise<void>((resolve) => server!.listen(port, host, resolve));
      const address = server.address();
      return { server, port: typeof address === 'object' && address ? address.port : port };
    },
    async stop() {
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      await apollo.stop();
      await cache.close();
    },
  };
}

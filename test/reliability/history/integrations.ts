/**
 * The history checker's server processes served through each drop-in (SERVER_KIND: standalone, express, fastify,
 * yoga), as a user would wire them, so the checker judges the integrations' fast paths and mutations too. Each
 * serves GraphQL at /graphql and the checker's GET /stats beside it, on one port.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import type express from 'express';
import { requestHeader, type Cache } from '../../../src/index.js';
import { createApolloPlugin } from '../../../src/apollo/index.js';

export type IntegrationKind = 'standalone' | 'express' | 'fastify' | 'yoga';
export const integrationKinds: readonly IntegrationKind[] = ['standalone', 'express', 'fastify', 'yoga'];

interface Context {
  userId?: string;
}

export interface IntegrationSetup {
  typeDefs: string[];
  resolvers: object;
  cache: Cache;
  /** The checker's stats answer (JSON). */
  stats(): unknown;
}

/** The session, read from the raw request as the cache's `sessionId` reads it from the context. */
const sessionIdFromRequest = (request: { headers: Parameters<typeof requestHeader>[0]['headers'] }): string | undefined =>
  requestHeader({ headers: request.headers }, 'x-user-id');
const contextOf = (userId: unknown): Context => (typeof userId === 'string' && userId ? { userId } : {});

/** Starts the server of `kind` on a free loopback port and answers that port; `stop` closes it. */
export async function startIntegration(kind: IntegrationKind, setup: IntegrationSetup): Promise<{ port: number; stop(): Promise<void> }> {
  const statsRoute = (res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(setup.stats()));
  };
  // Each framework is imported only by the process that serves it: loading all four costs every process start-up time.
  if (kind === 'yoga') {
    const [{ createYoga }, { makeExecutableSchema }, { useCacheTag }] = await Promise.all([
      import('graphql-yoga'),
      import('@graphql-tools/schema'),
      import('../../../src/envelop/index.js'),
    ]);
    const yoga = createYoga<Record<string, unknown>, Context>({
      schema: makeExecutableSchema({ typeDefs: setup.typeDefs, resolvers: setup.resolvers as never }),
      plugins: [useCacheTag(setup.cache, { sessionIdFromRequest })],
      context: ({ request }) => contextOf(request.headers.get('x-user-id')),
      logging: false,
    });
    return listen(createServer((req, res) => (req.url === '/stats' ? statsRoute(res) : void yoga(req, res))));
  }
  const plugin = createApolloPlugin<Context>(setup.cache);
  const apollo = new ApolloServer<Context>({ typeDefs: setup.typeDefs, resolvers: setup.resolvers as never, plugins: [plugin] });
  if (kind === 'standalone') {
    const { createStandaloneListener } = await import('../../../src/apollo/standalone.js');
    const listener = createStandaloneListener(apollo, {
      cache: plugin,
      context: async ({ req }) => contextOf(req.headers['x-user-id']),
      sessionIdFromRequest,
    });
    await apollo.start();
    const server = await listen(createServer((req: IncomingMessage, res) => (req.url === '/stats' ? statsRoute(res) : listener(req, res))));
    return { port: server.port, stop: async () => (await server.stop(), await apollo.stop()) };
  }
  if (kind === 'express') {
    const [{ default: express }, { expressMiddleware }, { cacheTagMiddleware }] = await Promise.all([
      import('express'),
      import('@as-integrations/express5'),
      import('../../../src/express/index.js'),
    ]);
    await apollo.start();
    const app = express();
    app.get('/stats', (_req, res) => statsRoute(res));
    const context = async ({ req }: { req: express.Request }) => contextOf(req.headers['x-user-id']);
    app.use('/graphql', express.json(), cacheTagMiddleware(plugin, { server: apollo, context, sessionIdFromRequest }), expressMiddleware(apollo, { context }));
    const server = await listen(createServer(app));
    return { port: server.port, stop: async () => (await server.stop(), await apollo.stop()) };
  }
  const [{ default: Fastify }, { default: fastifyApollo, fastifyApolloDrainPlugin }, { cacheTagHook }] = await Promise.all([
    import('fastify'),
    import('@as-integrations/fastify'),
    import('../../../src/fastify/index.js'),
  ]);
  const fastify = Fastify();
  apollo.addPlugin(fastifyApolloDrainPlugin(fastify));
  await apollo.start();
  fastify.get('/stats', async (_request, reply) => reply.send(setup.stats()));
  const context = async (request: { headers: Record<string, unknown> }): Promise<Context> => contextOf(request.headers['x-user-id']);
  fastify.addHook('preHandler', cacheTagHook(plugin, { server: apollo, context, sessionIdFromRequest }));
  await fastify.register(fastifyApollo(apollo), { context });
  await fastify.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  const { port } = fastify.server.address() as { port: number };
  return { port, stop: async () => (await fastify.close(), await apollo.stop()) };
}

async function listen(server: Server): Promise<{ port: number; stop(): Promise<void> }> {
  server.keepAliveTimeout = 60_000;
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

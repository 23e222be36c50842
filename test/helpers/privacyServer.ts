/** An Apollo Server 5 on 127.0.0.1 (port 0) whose context user comes from an `x-user` header: for privacy tests over real HTTP. */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createCache, createMemoryStore, type Cache, type CacheOptions } from '../../src/index.js';
import { createApolloPlugin, type ApolloPluginOptions } from '../../src/apollo/index.js';
import { buildSchema } from './schema.js';

export interface PrivacyContext {
  user?: string;
}

export interface PrivacyResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string }[];
  /** The response's Cache-Control header. */
  cacheControl: string | null;
}

export interface PrivacyServer {
  cache: Cache;
  url: string;
  /** Posts a query as `user` (no header when undefined) and answers the parsed body. */
  request(query: string, user?: string, variables?: Record<string, unknown>): Promise<PrivacyResponse>;
  stop(): Promise<void>;
}

export async function startPrivacyServer(
  typeDefs: string,
  resolvers: Parameters<typeof buildSchema>[1],
  pluginOptions: ApolloPluginOptions = {},
  cacheOptions: Partial<CacheOptions> = {},
): Promise<PrivacyServer> {
  const cache = createCache({ store: createMemoryStore(), sessionId: (ctx) => (ctx as PrivacyContext).user, strict: true, ...cacheOptions });
  const server = new ApolloServer<PrivacyContext>({ schema: buildSchema(typeDefs, resolvers), plugins: [createApolloPlugin(cache, pluginOptions)] });
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: 0 },
    context: async ({ req }) => {
      const user = req.headers['x-user'];
      return typeof user === 'string' ? { user } : {};
    },
  });
  return {
    cache,
    url,
    async request(query, user, variables) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(user ? { 'x-user': user } : {}) },
        body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
      });
      const body = (await response.json()) as PrivacyResponse;
      await cache.idle();
      return { ...body, cacheControl: response.headers.get('cache-control') };
    },
    async stop() {
      await server.stop();
    },
  };
}

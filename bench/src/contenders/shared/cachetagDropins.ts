/**
 * cachetag through each drop-in a user would deploy it with (memory store, library defaults, one line each): Apollo's
 * standalone server, Express 5, Fastify 5, GraphQL Yoga 5, and Apollo with the plugin alone. Loaded only after
 * {@link useOneGraphql} has run (see oneGraphql.ts): this module imports the library statically.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import cors from 'cors';
import express from 'express';
import Fastify from 'fastify';
import { createSchema, createYoga } from 'graphql-yoga';
import { cacheDirectivesTypeDefs, createCache } from 'cachetag';
import { createApolloPlugin, type ApolloPluginOptions } from 'cachetag/apollo';
import { useCacheTag } from 'cachetag/envelop';
import { cacheTagMiddleware } from 'cachetag/express';
import { cacheTagHook } from 'cachetag/fastify';
import { createStandaloneListener } from 'cachetag/standalone';
import { serveApollo } from './apollo.js';
import { cacheControlTypeDefs, createBenchContext, resolvers, typeDefs, type BenchContext } from '../../schema.js';
import { exitCleanlyOnShutdown, serveListener, type ContenderRuntime } from './serve.js';

export type Dropin = 'standalone' | 'express' | 'express-after-parser' | 'fastify' | 'yoga' | 'plugin-only';

const benchTypeDefs = () => [cacheDirectivesTypeDefs, ...(/directive\s+@cacheControl\b/.test(cacheDirectivesTypeDefs) ? [] : [cacheControlTypeDefs]), typeDefs];

/**
 * `pluginOptions` are the Apollo plugin's; with `cacheControl: 'cachetag'` Apollo's own cache-control plugin is
 * disabled too, as the option's documentation says (only the optional cachetag-standalone-cc contender uses them).
 */
export async function serveDropin(runtime: ContenderRuntime, dropin: Dropin, pluginOptions: ApolloPluginOptions = {}): Promise<void> {
  const cache = createCache();
  runtime.reportLibraryStats(() => cache.stats());
  const context = async (): Promise<BenchContext> => createBenchContext(runtime.dataSource);

  if (dropin === 'yoga') {
    const yoga = createYoga<object, BenchContext>({
      schema: createSchema<BenchContext>({ typeDefs: benchTypeDefs(), resolvers }),
      context: () => createBenchContext(runtime.dataSource),
      plugins: [useCacheTag(cache)],
      graphqlEndpoint: '/graphql',
      landingPage: false,
      logging: false,
    });
    return serveListener(runtime, (request, response) => void yoga(request, response), async () => {
      await yoga.dispose();
      await cache.close();
    });
  }

  if (dropin === 'plugin-only') {
    // The plugin alone, library defaults, on the same bare node:http handler as apollo-response-cache (shared/apollo.ts),
    // so the two plugins are compared on one HTTP layer: every hit goes through Apollo's request pipeline.
    return serveApollo(runtime, {
      typeDefs: benchTypeDefs(),
      plugins: [createApolloPlugin<BenchContext>(cache, pluginOptions)],
      close: async () => {
        await cache.close();
      },
    });
  }

  const plugin = createApolloPlugin<BenchContext>(cache, pluginOptions);
  const apollo = new ApolloServer<BenchContext>({
    typeDefs: benchTypeDefs(),
    resolvers,
    plugins: [plugin, ...(pluginOptions.cacheControl === 'cachetag' ? [ApolloServerPluginCacheControlDisabled()] : [])],
  });

  if (dropin === 'fastify') {
    const app = Fastify({ logger: false });
    apollo.addPlugin(fastifyApolloDrainPlugin(app));
    await apollo.start();
    app.addHook('onRequest', (request, _reply, done) => {
      if (request.url.startsWith('/graphql')) runtime.countRequest();
      done();
    });
    app.get('/stats', async () => runtime.stats());
    app.post('/reset-stats', async () => {
      runtime.resetStats();
      return runtime.stats();
    });
    // The README's configuration: Apollo gets the context the fast path built (hook.context), so a miss builds one.
    const hook = cacheTagHook(plugin, { server: apollo, context });
    app.addHook('preHandler', hook);
    await app.register(fastifyApollo(apollo), { context: hook.context });
    await app.listen({ port: runtime.port, host: '127.0.0.1' });
    exitCleanlyOnShutdown(async () => {
      await app.close();
      await apollo.stop();
      await cache.close();
    });
    console.log(`${runtime.name} listening on http://127.0.0.1:${runtime.port}/graphql`);
    return;
  }

  let listener: (request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void;
  if (dropin === 'express') {
    await apollo.start();
    const app = express();
    // The README's configuration: the fast path mounted on the app before the body parser (it reads the body itself).
    const fastPath = cacheTagMiddleware(plugin, { server: apollo, context, path: '/graphql' });
    app.use(cors(), fastPath);
    app.use('/graphql', express.json(), expressMiddleware(apollo, { context: fastPath.context }));
    listener = app;
  } else if (dropin === 'express-after-parser') {
    await apollo.start();
    const app = express();
    const fastPath = cacheTagMiddleware(plugin, { server: apollo, context });
    app.use('/graphql', cors(), express.json(), fastPath, expressMiddleware(apollo, { context: fastPath.context }));
    listener = app;
  } else {
    // The standalone server's own listener.
    listener = createStandaloneListener(apollo, { cache: plugin, context });
    await apollo.start();
  }
  await serveListener(runtime, listener, async () => {
    await apollo.stop();
    await cache.close();
  });
}

/**
 * Apollo's response cache, as apollo-response-cache, but served by Apollo's own `startStandaloneServer` (CORS,
 * body-parser with its 50 MB limit and charset check, finalhandler), as Apollo's five-minute guide sets it up: the
 * same-server peer of cachetag-standalone, whose drop-in keeps that server's behaviour. `apollo-response-cache` runs on
 * the bench's bare node:http handler, lighter than any server users deploy.
 *
 * `startStandaloneServer` offers no way to add the driver's `/stats` routes, so its request listener (Apollo's code,
 * unchanged) is taken from the `http.createServer` call it makes and served behind the contender's own server.
 */
import http, { type RequestListener } from 'node:http';
import { ApolloServer } from '@apollo/server';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createBenchContext, peerDirectiveTypeDefs, resolvers, typeDefs, type BenchContext } from '../schema.js';
import { createContenderRuntime, serveListener } from './shared/serve.js';

const runtime = createContenderRuntime('apollo-response-cache-standalone');
const apollo = new ApolloServer<BenchContext>({ typeDefs: [peerDirectiveTypeDefs, typeDefs], resolvers, plugins: [responseCachePlugin<BenchContext>()] });

const createServer = http.createServer;
let apolloListener: RequestListener | undefined;
const capture = ((listener: RequestListener) => {
  apolloListener = listener;
  return createServer(listener);
}) as typeof http.createServer;
http.createServer = capture;
let ownServer: { url: string };
try {
  // Apollo's server also listens (on a port of its own, unused by the driver); its listener is served below.
  ownServer = await startStandaloneServer(apollo, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async () => createBenchContext(runtime.dataSource),
  });
} finally {
  http.createServer = createServer;
}
if (apolloListener === undefined) throw new Error(`startStandaloneServer made no http.createServer call (${ownServer.url})`);
const listener = apolloListener;

await serveListener(runtime, listener, async () => {
  await apollo.stop();
});

/**
 * Apollo's response cache, as apollo-response-cache, but served through Express 5 (`expressMiddleware` from
 * @as-integrations/express5, with `cors()` and `express.json()` as Apollo's Express guide sets it up): the
 * same-framework peer of cachetag-express. Express's own per-request work is a floor no middleware can go below, so
 * cachetag-express is compared with a whole-response cache on Express too, not only with one on bare node:http.
 */
import { ApolloServer } from '@apollo/server';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import { createBenchContext, peerDirectiveTypeDefs, resolvers, typeDefs, type BenchContext } from '../schema.js';
import { createContenderRuntime, serveListener } from './shared/serve.js';

const runtime = createContenderRuntime('apollo-response-cache-express');
const apollo = new ApolloServer<BenchContext>({ typeDefs: [peerDirectiveTypeDefs, typeDefs], resolvers, plugins: [responseCachePlugin<BenchContext>()] });
await apollo.start();
const app = express();
app.use('/graphql', cors(), express.json(), expressMiddleware(apollo, { context: async () => createBenchContext(runtime.dataSource) }));
await serveListener(runtime, app, async () => {
  await apollo.stop();
});

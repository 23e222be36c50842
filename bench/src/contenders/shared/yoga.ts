/**
 * GraphQL Yoga with its response cache, as Yoga's docs set it up:
 * `@graphql-yoga/plugin-response-cache` (Yoga's wrapper around
 * `@envelop/response-cache`) with a global session (`session: () => null`).
 * The plugin reads the `@cacheControl` hints from the schema for TTLs and,
 * by default, invalidates every cached response that contains an entity
 * (typename + id) returned by a mutation.
 */
import { createServer } from 'node:http';
import { useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import { createSchema, createYoga } from 'graphql-yoga';
import { createBenchContext, peerDirectiveTypeDefs, resolvers, typeDefs, type BenchContext } from '../../schema.js';
import { listenOnLoopback, type ContenderRuntime } from './serve.js';

export interface YogaContenderOptions {
  /** Undefined: Yoga without a response cache (the framework's own baseline). */
  readonly cache: Cache | undefined;
  readonly close?: () => Promise<void>;
}

export async function serveYoga(runtime: ContenderRuntime, options: YogaContenderOptions): Promise<void> {
  const yoga = createYoga<object, BenchContext>({
    schema: createSchema<BenchContext>({ typeDefs: [peerDirectiveTypeDefs, typeDefs], resolvers }),
    context: () => createBenchContext(runtime.dataSource),
    plugins: options.cache ? [useResponseCache({ session: () => null, cache: options.cache })] : [],
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: false,
  });

  const server = createServer((request, response) => {
    if (runtime.handleStatsRequest(request, response)) return;
    if ((request.url ?? '').startsWith('/graphql')) runtime.countRequest();
    void yoga(request, response);
  });

  await listenOnLoopback(server, runtime, async () => {
    await yoga.dispose();
    await options.close?.();
  });
}

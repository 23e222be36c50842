/**
 * Apollo Server behind a bare node:http server, through the integration API
 * Apollo documents for framework adapters (`executeHTTPGraphQLRequest`).
 * `startStandaloneServer` does the same work but offers no way to add the
 * `/stats` routes; this adapter adds nothing else.
 */
import { createServer } from 'node:http';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { createBenchContext, resolvers, type BenchContext } from '../../schema.js';
import { listenOnLoopback, readBody, sendJson, type ContenderRuntime } from './serve.js';

export interface ApolloContenderOptions {
  readonly typeDefs: ReadonlyArray<string | DocumentNode>;
  readonly plugins?: ApolloServerPlugin<BenchContext>[];
  /** Closes what the contender opened besides the server (a Redis client). */
  readonly close?: () => Promise<void>;
  /**
   * Answers a request before Apollo when it can (cachetag's `cache.storedResponse`, the operation tier's HTTP fast
   * path, as the library documents it for node:http servers).
   */
  readonly fastPath?: (body: unknown, context: BenchContext) => Promise<{ bytes: Uint8Array; cacheControl?: string } | undefined>;
}

export async function serveApollo(runtime: ContenderRuntime, options: ApolloContenderOptions): Promise<void> {
  const apollo = new ApolloServer<BenchContext>({
    typeDefs: options.typeDefs as (string | DocumentNode)[],
    resolvers,
    plugins: options.plugins ?? [],
  });
  await apollo.start();

  const server = createServer((request, response) => {
    if (runtime.handleStatsRequest(request, response)) return;
    // The common case without building a URL: POST /graphql.
    const url = request.url === '/graphql' ? undefined : new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url && url.pathname !== '/graphql') {
      sendJson(response, 404, { error: 'not found' });
      return;
    }
    runtime.countRequest();
    handleGraphql(request, response, url).catch((error: unknown) => {
      console.error(error);
      if (!response.headersSent) sendJson(response, 500, { errors: [{ message: String(error) }] });
      else response.destroy();
    });
  });

  async function handleGraphql(
    request: import('node:http').IncomingMessage,
    response: import('node:http').ServerResponse,
    url: URL | undefined,
  ): Promise<void> {
    const text = request.method === 'POST' ? await readBody(request) : '';
    let body: unknown = undefined;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        sendJson(response, 400, { errors: [{ message: 'request body is not JSON' }] });
        return;
      }
    }
    const context = createBenchContext(runtime.dataSource);
    if (options.fastPath && body !== undefined) {
      const stored = await options.fastPath(body, context);
      if (stored) {
        response.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          ...(stored.cacheControl ? { 'cache-control': stored.cacheControl } : {}),
        });
        response.end(stored.bytes);
        return;
      }
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (request.method ?? 'GET').toUpperCase(), headers, search: url?.search ?? '', body },
      context: async () => context,
    });
    for (const [name, value] of result.headers) response.setHeader(name, value);
    response.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  }

  await listenOnLoopback(server, runtime, async () => {
    await apollo.stop();
    await options.close?.();
  });
}

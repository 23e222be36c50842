/**
 * `startStandaloneServer` with the fast path: Apollo's own standalone server (CORS, a JSON body parser with its 50 MB
 * limit and charset check, its error handler), the same arguments, and stored responses answered after the body is
 * parsed and the context built, before Apollo runs. So the five-minute guide changes one import and gets the speed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ListenOptions } from 'node:net';
import { format } from 'node:url';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextFunction, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import bodyParser from 'body-parser';
import { parse as parseContentType } from 'content-type';
import cors from 'cors';
import finalhandler from 'finalhandler';
import type { Cache } from '../engine/engine.js';
import type { CacheTagAdapter, FastPathOptions } from '../adapter/adapter.js';
import { invalidOption } from '../errors.js';
import { writeAnswer } from '../http/node.js';
import { apolloPersistedQueries } from './persistedQueries.js';
import { lazyContext, type LazyContext } from '../adapter/lazyContext.js';
import { peekBody } from '../http/peekBody.js';
import { createApolloPlugin, type ApolloPluginOptions, type CacheTagApolloPlugin } from './plugin.js';

export interface StandaloneServerContextFunctionArgument {
  req: IncomingMessage;
  res: ServerResponse;
}

export interface StartStandaloneServerOptions<TContext extends BaseContext> extends FastPathOptions {
  /** As Apollo's: builds the context of a request. It runs before the fast path too (see `contextOnFastPath`). */
  context?: ContextFunction<[StandaloneServerContextFunctionArgument], TContext>;
  /** As Apollo's. Default `{ port: 4000 }`. */
  listen?: ListenOptions;
  /**
   * The cachetag plugin installed in `server` (`plugins: [plugin]`), or a cache: then the plugin is added for you, with
   * `plugin` as its options, unless a plugin of that cache is installed already (it is used).
   */
  cache: CacheTagApolloPlugin<TContext> | Cache;
  /** Options of the plugin added for a `cache`. */
  plugin?: ApolloPluginOptions;
  /**
   * Build the context (your `context` function) before answering from the cache. Default `true`: authentication or
   * rate limiting done in it runs for every request, and a request whose context fails goes to Apollo, which answers
   * the failure. `false` skips your context function for answers from the cache (faster when it is costly; only for a
   * context function that never refuses a request).
   */
  contextOnFastPath?: boolean;
}

/** Apollo's standalone body limit ('50mb' to body-parser), which the fast path's own read keeps to as well. */
const STANDALONE_MAX_BODY_BYTES = 50 * 1024 * 1024;
/** The content types body-parser decodes as UTF-8 JSON, the only ones the fast path reads before it (as the Express drop-in). */
const JSON_UTF8 = /^application\/json\s*(;\s*charset=("?)utf-8\2\s*)?$/i;

/** The request as Apollo's standalone server hands it to Apollo. */
function graphQLRequestOf(req: IncomingMessage, body: unknown): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  return { method: req.method!.toUpperCase(), headers, search: queryAt < 0 ? '' : url.slice(queryAt), body };
}

/** Apollo's `startStandaloneServer`, with the fast path of the cachetag plugin in front of Apollo. */
export async function startStandaloneServer<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  options: StartStandaloneServerOptions<TContext>,
): Promise<{ url: string }> {
  const { listen, ...listenerOptions } = options ?? ({} as StartStandaloneServerOptions<TContext>);
  const httpServer = createServer(createStandaloneListener(server, listenerOptions));
  server.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer }));
  await server.start();
  await new Promise<void>((resolve) => httpServer.listen(listen ?? { port: 4000 }, resolve));
  const address = httpServer.address();
  if (!address || typeof address === 'string') throw new Error('startStandaloneServer: the server is not listening on a TCP port');
  const hostname = address.address === '' || address.address === '::' ? 'localhost' : address.address;
  return { url: format({ protocol: 'http', hostname, port: address.port, pathname: '/' }) };
}

/**
 * The request listener {@link startStandaloneServer} serves, for a node:http server of your own (more routes, TLS):
 * `createServer(createStandaloneListener(server, { cache: plugin }))`, then `await server.start()`.
 */
export function createStandaloneListener<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  options: Omit<StartStandaloneServerOptions<TContext>, 'listen'>,
): (req: IncomingMessage, res: ServerResponse) => void {
  if (!options || typeof options !== 'object') throw invalidOption('startStandaloneServer', 'options', 'an object with a cache', options);
  const { context: contextOption, cache, plugin: pluginOptions, contextOnFastPath = true, ...fastPathOptions } = options;
  const context = contextOption ?? (async () => ({}) as TContext);
  const adapter = standaloneAdapter(server, cache, pluginOptions, fastPathOptions);
  const corsHandler = cors();
  // cors() with its defaults (Apollo's standalone passes none) sets one header on any request but a preflight; set
  // directly, as it would, without its per-request option resolution, which showed in every answer's profile.
  const corsFor = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void => {
    if (req.method === 'OPTIONS') return corsHandler(req, res, next);
    res.setHeader('Access-Control-Allow-Origin', '*');
    next();
  };
  const jsonHandler = bodyParser.json({
    verify(req) {
      const charset = parseContentType(req).parameters.charset || 'utf-8';
      if (!/^utf-(8|((16|32)(le|be)?))$/i.test(charset)) {
        throw Object.assign(new Error(`unsupported charset "${charset.toUpperCase()}"`), {
          status: 415,
          name: 'UnsupportedMediaTypeError',
          charset,
          type: 'charset.unsupported',
        });
      }
    },
    limit: STANDALONE_MAX_BODY_BYTES,
  });

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    // finalhandler's handler is built only for a request that fails: building it for every request cost every answer.
    const errorHandler = (err: unknown) =>
      finalhandler(req, res, {
        onerror(err: Error) {
          if (process.env.NODE_ENV !== 'test') console.error(err.stack || err.toString());
        },
      })(err);
    corsFor(req, res, (err?: unknown) => {
      if (err) return errorHandler(err);
      answerBeforeParsing(req, res).then((early) => {
        if (early === 'answered') return;
        if (early) {
          // A miss of a body the fast path parsed: body-parser would read the same bytes (a UTF-8 JSON object of a
          // declared length within its limit, no content encoding) and parse them to an equal value, so its stream
          // reader, charset decoding and type checks are skipped. Parsed again, not shared: Apollo and req.body get a
          // fresh value, as from body-parser, whatever the context function did to the first. The bytes put back
          // are drained, as body-parser would have consumed them.
          req.resume();
          const body: unknown = JSON.parse(early.text);
          (req as IncomingMessage & { body?: unknown }).body = body;
          return answerOrExecute(req, res, { ...early.httpGraphQLRequest, body }, early.lazy).catch(errorHandler);
        }
        jsonHandler(req, res, (err?: unknown) => {
          if (err) return errorHandler(err);
          const body = 'body' in req ? req.body : undefined;
          answerOrExecute(req, res, graphQLRequestOf(req, body), undefined).catch(errorHandler);
        });
      }, errorHandler);
    });
  };

  /**
   * The fast path before body-parser, for the requests it would parse to the same value: a POST of UTF-8 JSON with a
   * declared length, whose bytes are read and put back (peekBody), so every body the fast path does not parse to an
   * object still reaches body-parser as if nothing had read it, and is answered (or refused) as it would be alone. A
   * stored response is then answered without body-parser's work (content-type parsing, charset decoding, its stream
   * reader), and so is a miss of a body parsed here. Undefined: not tried here (the fast path runs after body-parser,
   * as for GET requests); otherwise the miss's request, context and body text, reused.
   */
  async function answerBeforeParsing(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<'answered' | { httpGraphQLRequest: HTTPGraphQLRequest; lazy: LazyContext<TContext>; text: string } | undefined> {
    if (req.method !== 'POST' || !JSON_UTF8.test(req.headers['content-type'] ?? '')) return undefined;
    const raw = await peekBody(req, STANDALONE_MAX_BODY_BYTES);
    if (raw === undefined || raw.length === 0) return undefined;
    const text = raw.toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return undefined;
    }
    // Only an object: what body-parser's strict mode accepts and the fast path may answer (a batch goes through as before).
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
    // As body-parser would leave it, for a context function that reads req.body; on a miss it is parsed again, equal.
    (req as IncomingMessage & { body?: unknown }).body = body;
    const httpGraphQLRequest = graphQLRequestOf(req, body);
    const lazy = lazyContext(() => context({ req, res }));
    const answer = await adapter.answer(httpGraphQLRequest, contextOnFastPath ? () => lazy.build() : undefined);
    if (!answer) return { httpGraphQLRequest, lazy, text };
    writeAnswer(res, answer);
    return 'answered';
  }

  async function answerOrExecute(
    req: IncomingMessage,
    res: ServerResponse,
    httpGraphQLRequest: HTTPGraphQLRequest,
    missed: LazyContext<TContext> | undefined,
  ): Promise<void> {
    const lazy = missed ?? lazyContext(() => context({ req, res }));
    // A request the fast path already missed before body-parser is not looked up twice.
    const answer = missed ? undefined : await adapter.answer(httpGraphQLRequest, contextOnFastPath ? () => lazy.build() : undefined);
    if (answer) return writeAnswer(res, answer);
    // Apollo serializes the response: a miss's fill is stored from that body rather than from a second serialization.
    adapter.expectBody(httpGraphQLRequest);
    let response: Awaited<ReturnType<typeof server.executeHTTPGraphQLRequest>> | undefined;
    try {
      response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest,
        // The context built for the fast path is Apollo's too: built once, and a miss spares Apollo's lookup its store call.
        context: () => lazy.forServer(),
      });
    } finally {
      // Before the response is written: whoever reads it and then waits for the cache to settle finds the fill queued.
      adapter.bodySerialized(httpGraphQLRequest, response?.body.kind === 'complete' ? response.body.string : undefined);
    }
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status || 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  return listener;
}

/**
 * The adapter an Apollo integration answers with: the plugin's (adding the plugin to the server for a bare cache),
 * with Apollo's persisted-query registry so persisted queries are answered as Apollo would.
 */
export function standaloneAdapter<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  source: CacheTagApolloPlugin<TContext> | Cache,
  pluginOptions: ApolloPluginOptions | undefined,
  fastPathOptions: FastPathOptions,
  caller = 'startStandaloneServer',
): CacheTagAdapter {
  let plugin: CacheTagApolloPlugin<TContext>;
  if (source && typeof source === 'object' && 'adapter' in source && source.adapter) plugin = source;
  else if (source && typeof (source as Cache).instrumentSchema === 'function') {
    // A plugin of this cache already installed (plugins: [createApolloPlugin(cache)]) is used, not doubled: two would
    // open two scopes per request. Apollo keeps its plugins in its internals; when they are not there, one is added.
    const installed = (server as unknown as { internals?: { plugins?: unknown[] } }).internals?.plugins?.find(
      (candidate): candidate is CacheTagApolloPlugin<TContext> =>
        typeof candidate === 'object' && candidate !== null && (candidate as Partial<CacheTagApolloPlugin<TContext>>).adapter?.cache === source,
    );
    plugin = installed ?? createApolloPlugin<TContext>(source as Cache, pluginOptions);
    if (!installed) server.addPlugin(plugin);
  } else throw invalidOption(caller, 'cache', 'the plugin from createApolloPlugin() installed in the server, or a Cache from createCache()', source);
  const persistedQueries = fastPathOptions.persistedQueries ?? apolloPersistedQueries(server);
  return plugin.adapter.with({ ...fastPathOptions, ...(persistedQueries ? { persistedQueries } : {}) });
}

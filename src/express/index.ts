/**
 * `cachetag/express`: the fast path as an Express 5 middleware in front of Apollo's `expressMiddleware`
 * (`@as-integrations/express5`): best mounted on the app before the body parser (it reads the body itself and puts it
 * back), else placed after `express.json()`. Middleware placed before it (authentication, rate limits, CORS) runs for
 * every request; stored responses are answered without entering Apollo; the rest goes on unchanged.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApolloServer, BaseContext } from '@apollo/server';
import { adapterOf, type AdapterSource, type FastPathOptions } from '../adapter/adapter.js';
import { apolloPersistedQueries } from '../apollo/persistedQueries.js';
import { contextHandoff } from '../adapter/lazyContext.js';
import { invalidOption } from '../errors.js';
import { peekBody } from '../http/peekBody.js';
import { sendAnswer } from './sendAnswer.js';

export interface CacheTagExpressOptions<TContext extends BaseContext> extends FastPathOptions {
  /**
   * The Apollo Server behind the middleware: its persisted-query registry lets the fast path answer persisted queries
   * as Apollo would. Without it persisted queries go to Apollo.
   */
  readonly server?: ApolloServer<TContext>;
  /**
   * The context function given to `expressMiddleware`. When given it runs before the fast path too, so authentication
   * done in it also runs for answers from the cache (a request whose context fails goes on to Apollo, which answers
   * the failure). Not given: answers from the cache do not run it: authenticate in a middleware placed before this one.
   */
  readonly context?: (argument: { req: Request; res: Response }) => Promise<TContext>;
  /**
   * Only requests to this path (without query string) are screened; others go on untouched. Give it when the
   * middleware is mounted on the app rather than on Apollo's route. Default: every request reaching the middleware.
   */
  readonly path?: string;
  /**
   * The largest body the middleware reads itself (when no body parser ran before it), in bytes. Default 100 KiB,
   * `express.json()`'s default `limit`; larger bodies go on to the body parser unread. Set it to your parser's `limit`
   * when that is lower, so no body the parser refuses is answered.
   */
  readonly maxBodyBytes?: number;
}

/** The default {@link CacheTagExpressOptions.maxBodyBytes}: 100 KiB, as `express.json()`'s default limit. */
export const defaultExpressMaxBodyBytes = 100 * 1024;
const JSON_UTF8 = /^application\/json\s*(;\s*charset=("?)utf-8\2\s*)?$/i;

/** The middleware, carrying the context function to give `expressMiddleware`. */
export interface CacheTagExpressMiddleware<TContext extends BaseContext> extends RequestHandler {
  /**
   * Your `context` function as `expressMiddleware` should get it (`{ context: fastPath.context }`): for a request the
   * fast path built a context for and did not answer, that very context (your function runs once per request, and
   * Apollo's operation lookup reuses the fast path's miss instead of reading the store again); otherwise a fresh
   * call, as without the middleware. Without a `context` option: an empty context, as `expressMiddleware`'s default (the
   * one the fast path looked the request up with, so a miss is not looked up again).
   */
  readonly context: (argument: { req: Request; res: Response }) => Promise<TContext>;
}

/**
 * The fast-path middleware. `source` is the plugin from `createApolloPlugin()` installed in the server (preferred: it
 * answers for that server's schema, with its tags and debug headers), or the cache.
 *
 * ```ts
 * const fastPath = cacheTagMiddleware(plugin, { server, context, path: '/graphql' });
 * app.use(cors(), fastPath); // before any body parser
 * app.use('/graphql', express.json(), expressMiddleware(server, { context: fastPath.context }));
 * ```
 */
export function cacheTagMiddleware<TContext extends BaseContext = BaseContext>(
  source: AdapterSource,
  options: CacheTagExpressOptions<TContext> = {},
): CacheTagExpressMiddleware<TContext> {
  const { server, context, path, maxBodyBytes = defaultExpressMaxBodyBytes, ...fastPathOptions } = options;
  if (!(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes >= 0))
    throw invalidOption('cacheTagMiddleware', 'maxBodyBytes', 'a non-negative integer', maxBodyBytes);
  const persistedQueries = fastPathOptions.persistedQueries ?? (server ? apolloPersistedQueries(server) : undefined);
  const adapter = adapterOf(source, { ...fastPathOptions, ...(persistedQueries ? { persistedQueries } : {}) }, 'cacheTagMiddleware');
  const contexts = contextHandoff<Request, TContext>();
  const middleware = (req: Request, res: Response, next: NextFunction) => {
    const run = async () => {
      const url = req.originalUrl ?? req.url;
      const queryAt = url.indexOf('?');
      if (path !== undefined && (queryAt < 0 ? url : url.slice(0, queryAt)) !== path) return next();
      // Without a context function, Apollo's empty context is the one the fast path looks up with: its miss is taken over.
      const answer = await adapter.answer(
        { method: req.method, headers: req.headers, search: queryAt < 0 ? '' : url.slice(queryAt), body: await bodyOf(req, maxBodyBytes) },
        context ? () => contexts.lazy(req, () => context({ req, res })).build() : contexts.given(req, {} as TContext),
      );
      if (!answer) return next();
      contexts.drop(req);
      // Sent as Express sends Apollo's answer (res.send): the same ETag, and 304 to a matching If-None-Match.
      sendAnswer(req, res, answer);
    };
    run().catch(next);
  };
  return Object.assign(middleware, {
    context: (argument: { req: Request; res: Response }): Promise<TContext> =>
      contexts.take(argument.req, () => (context ? context(argument) : Promise.resolve({} as TContext))),
  });
}

/**
 * The parsed body: a body parser's when one ran before; else read here (and put back for the parser after us) when it
 * is UTF-8 JSON within the limit, which `express.json()` parses to the same value. Undefined when not JSON or unread.
 */
async function bodyOf(req: Request, maxBodyBytes: number): Promise<unknown> {
  if (Object.hasOwn(req, 'body') || req.readableFlowing !== null || req.readableEnded) return req.body as unknown;
  if (req.method !== 'POST' || !JSON_UTF8.test(req.headers['content-type'] ?? '')) return undefined;
  const raw = await peekBody(req, maxBodyBytes);
  if (raw === undefined || raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

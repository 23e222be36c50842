/**
 * `cachetag/express`: the fast path as an Express 5 middleware, placed after `express.json()` and before Apollo's
 * `expressMiddleware` (`@as-integrations/express5`). Middleware placed before it (authentication, rate limits) runs for
 * every request; stored responses are answered without entering Apollo; the rest goes on to Apollo unchanged.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApolloServer, BaseContext } from '@apollo/server';
import { adapterOf, type AdapterSource, type FastPathOptions } from '../adapter/adapter.js';
import { apolloPersistedQueries } from '../apollo/persistedQueries.js';
import { lazyContext } from '../adapter/lazyContext.js';

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
}

/**
 * The fast-path middleware. `source` is the plugin from `createApolloPlugin()` installed in the server (preferred: it
 * answers for that server's schema, with its tags and debug headers), or the cache.
 *
 * ```ts
 * app.use('/graphql', cors(), express.json(), cacheTagMiddleware(plugin, { server }), expressMiddleware(server));
 * ```
 */
export function cacheTagMiddleware<TContext extends BaseContext = BaseContext>(
  source: AdapterSource,
  options: CacheTagExpressOptions<TContext> = {},
): RequestHandler {
  const { server, context, ...fastPathOptions } = options;
  const persistedQueries = fastPathOptions.persistedQueries ?? (server ? apolloPersistedQueries(server) : undefined);
  const adapter = adapterOf(source, { ...fastPathOptions, ...(persistedQueries ? { persistedQueries } : {}) }, 'cacheTagMiddleware');
  return (req: Request, res: Response, next: NextFunction) => {
    const run = async () => {
      const url = req.originalUrl ?? req.url;
      const queryAt = url.indexOf('?');
      const answer = await adapter.answer(
        { method: req.method, headers: req.headers, search: queryAt < 0 ? '' : url.slice(queryAt), body: req.body as unknown },
        context ? () => lazyContext(() => context({ req, res })).build() : undefined,
      );
      if (!answer) return next();
      // Sent as Express sends Apollo's answer (res.send): the same ETag, and 304 to a matching If-None-Match.
      res
        .status(answer.status)
        .set(answer.headers)
        .send(Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength));
    };
    run().catch(next);
  };
}

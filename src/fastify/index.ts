/**
 * `cachetag/fastify`: the fast path as a Fastify 5 `preHandler` hook, in front of Apollo's `@as-integrations/fastify`
 * (or any GraphQL route whose body Fastify parses as JSON). Hooks that run before it (`onRequest` authentication, rate
 * limits) run for every request; stored responses are sent without entering the route's handler.
 */
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { ApolloServer, BaseContext } from '@apollo/server';
import { adapterOf, type AdapterSource, type FastPathOptions } from '../adapter/adapter.js';
import { apolloPersistedQueries } from '../apollo/persistedQueries.js';
import { contextHandoff } from '../adapter/lazyContext.js';

export interface CacheTagFastifyOptions<TContext extends BaseContext> extends FastPathOptions {
  /** The Apollo Server behind the route: its persisted-query registry lets persisted queries be answered as Apollo would. */
  readonly server?: ApolloServer<TContext>;
  /**
   * The context function given to `fastifyApollo`. When given it runs before the fast path too (a request whose context
   * fails goes on to Apollo, which answers the failure). Not given: answers from the cache do not run it: authenticate
   * in an `onRequest` hook.
   */
  readonly context?: (request: FastifyRequest, reply: FastifyReply) => Promise<TContext>;
  /** Only requests to this path are screened. Default `/graphql` (`fastifyApollo`'s). */
  readonly path?: string;
}

/** The hook, carrying the context function to give `fastifyApollo`. */
export interface CacheTagFastifyHook<TContext extends BaseContext> extends preHandlerAsyncHookHandler {
  /**
   * Your `context` function as `fastifyApollo` should get it (`{ context: hook.context }`): for a request the fast
   * path built a context for and did not answer, that very context (your function runs once per request, and
   * Apollo's operation lookup reuses the fast path's miss instead of reading the store again); otherwise a fresh
   * call, as without the hook. Without a `context` option: an empty context, as `fastifyApollo`'s default (the one
   * the fast path looked the request up with, so a miss is not looked up again).
   */
  readonly context: (request: FastifyRequest, reply: FastifyReply) => Promise<TContext>;
}

/**
 * The fast-path hook. `source` is the plugin from `createApolloPlugin()` installed in the server, or the cache.
 *
 * ```ts
 * const hook = cacheTagHook(plugin, { server, context });
 * fastify.addHook('preHandler', hook);
 * await fastify.register(fastifyApollo(server), { context: hook.context });
 * ```
 */
export function cacheTagHook<TContext extends BaseContext = BaseContext>(
  source: AdapterSource,
  options: CacheTagFastifyOptions<TContext> = {},
): CacheTagFastifyHook<TContext> {
  const { server, context, path = '/graphql', ...fastPathOptions } = options;
  const persistedQueries = fastPathOptions.persistedQueries ?? (server ? apolloPersistedQueries(server) : undefined);
  const adapter = adapterOf(source, { ...fastPathOptions, ...(persistedQueries ? { persistedQueries } : {}) }, 'cacheTagHook');
  const contexts = contextHandoff<FastifyRequest, TContext>();
  const hook = async function cacheTagPreHandler(request: FastifyRequest, reply: FastifyReply) {
    const url = request.url;
    const queryAt = url.indexOf('?');
    if ((queryAt < 0 ? url : url.slice(0, queryAt)) !== path) return;
    // Without a context function, Apollo's empty context is the one the fast path looks up with: its miss is taken over.
    const answer = await adapter.answer(
      { method: request.method, headers: request.headers, search: queryAt < 0 ? '' : url.slice(queryAt), body: request.body },
      context ? () => contexts.lazy(request, () => context(request, reply)).build() : contexts.given(request, {} as TContext),
    );
    if (!answer) return;
    contexts.drop(request);
    await reply
      .code(answer.status)
      .headers(answer.headers)
      .send(Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength));
  };
  return Object.assign(hook, {
    context: (request: FastifyRequest, reply: FastifyReply): Promise<TContext> =>
      contexts.take(request, () => (context ? context(request, reply) : Promise.resolve({} as TContext))),
  });
}

/**
 * The Apollo Server adapter: a factory that returns plugin hooks, nothing
 * more. It hands each schema Apollo loads to the engine (which validates its
 * directives and wraps the cached and mutation resolvers), opens a request
 * scope per operation, and on the way out adds debug extensions and the CDN
 * tag header. Mutations are invalidated inside their resolvers, so the
 * response is sent only after the invalidation was acknowledged.
 */
import { HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { invalidOption } from '../errors.js';
import type { Cache, OperationOutcome, StoredResponse, StoredResponseRequest } from '../engine/engine.js';
import { staticCachePolicy } from '../engine/policy.js';
import { createAdapter, type CacheTagAdapter } from '../adapter/adapter.js';
import { narrowCacheControl } from '../http/cacheControlHeader.js';
import { tagsHeaderSeparator, tagsHeaderValue } from '../http/tagsHeader.js';
import { describeOperation } from '../adapter/describeOperation.js';

/** The request header that turns debug output on, when {@link ApolloPluginOptions.debug} is `'header'`. */
export const defaultDebugHeader = 'x-cachetag-debug';

export interface ApolloPluginOptions {
  /**
   * Report, in `extensions.cachetag.fields`, every cached field's outcome
   * (hit, miss or bypass), the reason, its key and tags.
   * - `false` (default): never.
   * - `true`: on every response (development only: keys and tags reveal arguments).
   * - `'header'`: when the request carries the {@link defaultDebugHeader} header with a value other than `0`.
   */
  debug?: boolean | 'header';
  /** The request header read when `debug` is `'header'`. Default {@link defaultDebugHeader}. */
  debugHeader?: string;
  /**
   * A response header listing (space-separated) the tags the response depends
   * on, for CDNs that purge by tag: `'Surrogate-Key'` (Fastly), `'Cache-Tag'`
   * (Cloudflare, Akamai). Set only on query responses. Default: none. Each tag
   * is listed with its ancestors and encoded with `encodeTagForHeader` (purge
   * with the same encoding); a batch lists the tags of all its operations.
   */
  tagsHeader?: string;
  /**
   * The operation tier: answer an unchanged query from its stored response,
   * without execution, on the same tags and with the same freshness as the
   * fields it is made of. Only queries whose every resolver is a cached field
   * are eligible. Default `true`.
   */
  operationCache?: boolean;
  /**
   * Who computes each response's cache policy (the `Cache-Control` header, and the maxAge and scope stored with an
   * operation response):
   * - `'apollo'` (default): Apollo's cache-control plugin, which Apollo Server installs by default. It calls a hook
   *   on every field resolution and honours dynamic hints (`info.cacheControl.setCacheHint`).
   * - `'cachetag'`: cachetag, from the same `@cacheControl` hints with Apollo's rules, once per document instead of
   *   once per field resolution (see `staticCachePolicy`). It restricts Apollo's `overallCachePolicy` before
   *   execution and sets `Cache-Control` itself (`max-age=N, public|private`, or `no-store`), unless something
   *   already set that header. Add `ApolloServerPluginCacheControlDisabled()` to the server's plugins to drop
   *   Apollo's per-field hook altogether. Dynamic hints are not seen: resolvers must not use `info.cacheControl`
   *   (it is undefined once Apollo's plugin is disabled).
   */
  cacheControl?: 'apollo' | 'cachetag';
}

/** The plugin, which also offers the HTTP fast path of the server it serves. */
export interface CacheTagApolloPlugin<TContext extends BaseContext = BaseContext> extends ApolloServerPlugin<TContext> {
  /**
   * `cache.storedResponse(request, context, { schema })` for the schema of the server this plugin is installed in
   * (followed when the server loads a new one), so servers sharing a cache each answer only their own stored
   * responses. Undefined before the server started, and when one plugin object was installed in several servers.
   */
  storedResponse(request: StoredResponseRequest, context?: object): Promise<StoredResponse | undefined>;
  /** The adapter contract this plugin is built on, with its options (tags header, debug header): the drop-ins take it. */
  readonly adapter: CacheTagAdapter;
}

/** Creates the Apollo Server plugin for a cache. */
export function createApolloPlugin<TContext extends BaseContext = BaseContext>(
  cache: Cache,
  options: ApolloPluginOptions = {},
): CacheTagApolloPlugin<TContext> {
  if (!cache || typeof cache.instrumentSchema !== 'function') throw invalidOption('createApolloPlugin', 'cache', 'a Cache from createCache()', cache);
  const debug = options.debug ?? false;
  if (debug !== true && debug !== false && debug !== 'header') throw invalidOption('createApolloPlugin', 'debug', "true, false or 'header'", debug);
  const debugHeader = (options.debugHeader ?? defaultDebugHeader).toLowerCase();
  const tagsHeader = options.tagsHeader;
  const operationCache = options.operationCache ?? true;
  if (typeof operationCache !== 'boolean') throw invalidOption('createApolloPlugin', 'operationCache', 'true or false', operationCache);
  const cacheControl = options.cacheControl ?? 'apollo';
  if (cacheControl !== 'apollo' && cacheControl !== 'cachetag')
    throw invalidOption('createApolloPlugin', 'cacheControl', "'apollo' or 'cachetag'", cacheControl);
  if (tagsHeader !== undefined && (typeof tagsHeader !== 'string' || !/^[A-Za-z0-9-]+$/.test(tagsHeader))) {
    throw invalidOption('createApolloPlugin', 'tagsHeader', 'an HTTP header name such as "Surrogate-Key"', tagsHeader);
  }

  // Follows the schema of the server this plugin serves, for its fast path; none once the plugin serves several servers.
  const adapter = createAdapter(
    cache,
    {
      ...(tagsHeader !== undefined ? { tagsHeader } : {}),
      ...(debug === 'header' ? { debugHeader } : {}),
      ...(debug === true ? { debugAlways: true } : {}),
    },
    { boundToServer: true },
  );

  return {
    adapter,
    storedResponse(request, context) {
      return adapter.storedResponse(request, context);
    },
    async serverWillStart({ schema }) {
      // Validate here too, so a CacheTagSchemaError reaches start() unwrapped.
      adapter.serve(schema);
      return {
        schemaDidLoadOrUpdate({ apiSchema }) {
          adapter.update(apiSchema);
        },
      };
    },
    async requestDidStart(requestContext) {
      const header = requestContext.request.http?.headers.get(debugHeader);
      const wantsDebug = debug === true || (debug === 'header' && header !== undefined && header !== '0');
      // The operations of a batch share one context object, so they share one scope: its tags are those of the whole
      // response (one tags header), and the operation tier, which needs a scope per operation, stays out of batches.
      const batched = requestContext.requestIsBatched;
      const scope =
        (batched ? adapter.requestScope(requestContext.contextValue) : undefined) ??
        adapter.beginRequest(requestContext.contextValue, {
          debug: wantsDebug,
          collectTags: tagsHeader !== undefined || operationCache,
          refuseDynamicHints: cacheControl === 'cachetag',
        });
      let operationOutcome: OperationOutcome | undefined;
      return {
        async didResolveOperation({ schema, document, operationName, overallCachePolicy }) {
          if (cacheControl !== 'cachetag') return;
          const plan = adapter.planOf(schema) ?? cache.instrumentSchema(schema);
          // Restricting before execution also turns Apollo's own per-field hook, when it is still installed, into a no-op.
          overallCachePolicy.restrict(staticCachePolicy(plan, document, operationName) ?? { maxAge: 0 });
        },
        async executionDidStart({ overallCachePolicy }) {
          return {
            // Cached data keyed by session (a PRIVATE possible type, a PRIVATE ancestor) makes the response PRIVATE,
            // where Apollo's rules, reading only declared types, may say PUBLIC. Before willSendResponse writes headers.
            async executionDidEnd() {
              if (scope.hasPrivate) overallCachePolicy.restrict({ scope: 'PRIVATE' });
            },
          };
        },
        async responseForOperation({ schema, document, request, queryHash, overallCachePolicy, contextValue }) {
          if (!operationCache || batched || queryHash === undefined) return null;
          // The operation name as sent (not as resolved), so cache.storedResponse() computes the same key from the raw request.
          operationOutcome = await adapter.lookupOperation(contextValue, {
            schema,
            document,
            operationName: request.operationName,
            variables: request.variables,
            queryHash,
          });
          if (operationOutcome.outcome !== 'hit') return null;
          if (operationOutcome.policy) overallCachePolicy.replace(operationOutcome.policy);
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data: operationOutcome.data as Record<string, unknown> } },
          };
        },
        async willSendResponse({ request, response, operation, overallCachePolicy, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          let stored = false;
          if (operationOutcome?.outcome === 'miss') {
            const policy = overallCachePolicy.policyIfCacheable();
            // Also what an uncacheable policy says (maxAge 0, dynamic hints included): the engine then stores nothing.
            const { maxAge, scope: policyScope } = overallCachePolicy;
            stored = adapter.fillOperation(
              contextValue,
              result,
              policy
                ? { maxAge: policy.maxAge, ...(policy.scope ? { scope: policy.scope } : {}) }
                : maxAge !== undefined || policyScope !== undefined
                  ? { ...(maxAge !== undefined ? { maxAge } : {}), ...(policyScope ? { scope: policyScope } : {}) }
                  : undefined,
              // A drop-in that hands over Apollo's serialized body (expectBody) gets the fill stored from it.
              { http: request.http, finalResult: () => (response.body.kind === 'single' ? response.body.singleResult : undefined) },
            );
          }
          if (cacheControl === 'cachetag') {
            const policy = overallCachePolicy.policyIfCacheable();
            // Narrowed with what is there: the previous operations of a batch, or a header a resolver set.
            response.http.headers.set(
              'cache-control',
              narrowCacheControl(response.http.headers.get('cache-control'), !result.errors ? (policy ?? undefined) : undefined),
            );
          }
          if (scope.debug) {
            result.extensions = {
              ...result.extensions,
              cachetag: {
                ...(operationOutcome ? { operation: describeOperation(operationOutcome, stored) } : {}),
                fields: scope.debug,
                ...(scope.invalidated.size ? { invalidated: [...scope.invalidated] } : {}),
              },
            };
          }
          if (scope.unacknowledged.size > 0) {
            // On every response, debug or not: the write happened, but other processes may serve the old data until a retry lands.
            const cachetag = result.extensions?.cachetag as Record<string, unknown> | undefined;
            result.extensions = { ...result.extensions, cachetag: { ...cachetag, unacknowledged: [...scope.unacknowledged] } };
          }
          if (tagsHeader && scope.tags && scope.tags.size > 0 && operation?.operation === 'query') {
            const listed = response.http.headers.get(tagsHeader);
            const separator = tagsHeaderSeparator(tagsHeader);
            const value = tagsHeaderValue(scope.tags, tagsHeader);
            response.http.headers.set(tagsHeader, listed ? [...new Set([...listed.split(separator), ...value.split(separator)])].join(separator) : value);
          }
        },
      };
    },
  };
}

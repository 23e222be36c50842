/**
 * `cachetag/envelop`: the GraphQL Yoga 5 / envelop plugin, built on the adapter contract as the Apollo plugin is. It
 * instruments each schema Yoga loads (mutations then invalidate inside their resolvers, before the response), opens a
 * request scope per operation, runs the operation tier, writes debug extensions and the Cache-Control and tags
 * headers; and answers stored responses once Yoga has parsed and checked the request (its `onParams` hook), before
 * any context is built or any document parsed, sending the stored bytes as Yoga would send the result.
 */
import { getOperationAST, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { adapterOf, type AdapterSource, type CacheTagAdapter, type FastPathOptions } from '../adapter/adapter.js';
import { queryHash, type OperationOutcome } from '../engine/engine.js';
import { staticCachePolicy } from '../engine/policy.js';
import { narrowCacheControl } from '../http/cacheControlHeader.js';
import { tagsHeaderValue } from '../http/tagsHeader.js';
import { invalidOption } from '../errors.js';
import { describeOperation } from '../adapter/describeOperation.js';
import { defaultEarlyMaxBodyBytes, earlyAnswer } from './earlyAnswer.js';
import { resolvePersistedQuery } from './persistedQuery.js';

export interface UseCacheTagOptions extends FastPathOptions {
  /**
   * Debug extensions (`extensions.cachetag`), as the Apollo plugin's `debug`: `false` (default), `true` (every
   * response; development only), or `'header'` (requests carrying `debugHeader`, default `x-cachetag-debug`, with a
   * value other than `0`). Debug requests are never answered by the fast path.
   */
  readonly debug?: boolean | 'header';
  /** The operation tier (whole stored responses). Default `true`. */
  readonly operationCache?: boolean;
  /**
   * The largest body answered at Yoga's first hook (`onRequest`, before Yoga parses the request), in bytes. Default
   * 16 KiB. Larger bodies are answered after Yoga parsed them (`onParams`). Set it at most to Yoga's
   * `maxRequestBodySize` when you lowered that below 16 KiB, so no body Yoga refuses is answered; `0` turns the early
   * answer off.
   */
  readonly maxEarlyBodyBytes?: number;
}

interface ResponseState {
  cacheControl: string | undefined;
  tags: Set<string> | undefined;
}

const textDecoder = new TextDecoder();

/** The Yoga plugin. `useCacheTag(cache, { tagsHeader: 'Surrogate-Key' })` in `createYoga({ plugins })`. */
export function useCacheTag(source: AdapterSource, options: UseCacheTagOptions = {}): Plugin {
  const { debug = false, operationCache = true, maxEarlyBodyBytes = defaultEarlyMaxBodyBytes, ...fastPathOptions } = options;
  if (debug !== true && debug !== false && debug !== 'header') throw invalidOption('useCacheTag', 'debug', "true, false or 'header'", debug);
  if (!(Number.isSafeInteger(maxEarlyBodyBytes) && maxEarlyBodyBytes >= 0))
    throw invalidOption('useCacheTag', 'maxEarlyBodyBytes', 'a non-negative integer', maxEarlyBodyBytes);
  const adapter: CacheTagAdapter = adapterOf(
    source,
    {
      ...(debug === 'header' ? { debugHeader: fastPathOptions.debugHeader ?? 'x-cachetag-debug' } : {}),
      ...(debug === true ? { debugAlways: true } : {}),
      ...fastPathOptions,
    },
    'useCacheTag',
  );
  const fastPathOn = adapter.options.fastPath !== false && !adapter.options.debugAlways;
  let served = false;
  // Yoga's endpoint, once Yoga is built: the early answer serves only that exact path (a pattern is left to Yoga).
  let endpoint: string | undefined;
  // What each HTTP response must say, gathered from its operations (a batch has several).
  const responses = new WeakMap<Request, ResponseState>();
  // Requests whose stored response the early answer looked up and did not find: onParams would look up the same, and
  // the operation tier takes over that miss (carried on the object kept here) instead of reading the store again.
  const missedEarly = new WeakMap<Request, object>();
  const stateOf = (request: Request) => {
    let state = responses.get(request);
    if (!state) responses.set(request, (state = { cacheControl: undefined, tags: undefined }));
    return state;
  };
  const addTags = (state: ResponseState, tags: Iterable<string>) => {
    state.tags ??= new Set();
    for (const tag of tags) state.tags.add(tag);
  };

  return {
    onYogaInit({ yoga }) {
      const path = yoga.graphqlEndpoint;
      endpoint = /[:*()?+{}]/.test(path) ? undefined : path;
    },
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (!fastPathOn || maxEarlyBodyBytes === 0 || url.pathname !== endpoint) return;
      const missCarrier = {};
      const early = await earlyAnswer(adapter, request, maxEarlyBodyBytes, missCarrier);
      if (early === 'miss') missedEarly.set(request, missCarrier);
      if (!early || early === 'miss') return;
      const { stored, contentType } = early;
      // Headers as Yoga's regular result processor writes them; Cache-Control and tags added in onResponse, as for
      // executed results; the body is Yoga's JSON.stringify of the result: the stored bytes without their newline.
      const state = stateOf(request);
      state.cacheControl = narrowCacheControl(state.cacheControl, policyOf(stored.cacheControl));
      if (stored.tags.length > 0) addTags(state, stored.tags);
      const bytes = stored.bytes;
      endResponse(
        new fetchAPI.Response(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength - 1) as unknown as BodyInit, {
          status: 200,
          headers: { 'Content-Type': contentType },
        }),
      );
    },
    onSchemaChange({ schema }) {
      if (served) adapter.update(schema);
      else adapter.serve(schema);
      served = true;
    },
    async onParams({ params, request, setResult }) {
      if (!fastPathOn || adapter.wantsDebug(request.headers) || missedEarly.has(request)) return;
      let query = params.query;
      const extensions = params.extensions as Record<string, unknown> | null | undefined;
      if (extensions?.persistedQuery !== undefined) {
        // Resolved in the store `useAPQ` uses, as it does; without that store, persisted queries are Yoga's alone. No
        // registering here: every onParams hook runs, answered or not, so useAPQ registers the text itself.
        const store = adapter.options.persistedQueries;
        const resolved = store && (await resolvePersistedQuery(store, extensions.persistedQuery, query));
        if (!resolved) return;
        query = resolved.query;
      }
      const sessionId = adapter.options.sessionIdFromRequest?.({ method: request.method, headers: request.headers });
      const stored = await adapter.storedResponse(query === params.query ? params : { ...params, query }, undefined, sessionId);
      if (!stored) return;
      const state = stateOf(request);
      state.cacheControl = narrowCacheControl(state.cacheControl, policyOf(stored.cacheControl));
      if (stored.tags.length > 0) addTags(state, stored.tags);
      // Yoga serializes a result with its own `stringify` when it has one: the stored bytes, as Yoga would write them
      // (Apollo's trailing newline aside), with no decoding into objects and no JSON.stringify.
      const text = textDecoder.decode(stored.bytes.subarray(0, stored.bytes.length - 1));
      let data: unknown;
      setResult({
        get data() {
          return (data ??= (JSON.parse(text) as { data: unknown }).data);
        },
        stringify: () => text,
      } as ExecutionResult);
    },
    async onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as { request?: Request; params?: { query?: unknown } };
      const request = context.request;
      const wantsDebug = request ? adapter.wantsDebug(request.headers) : adapter.options.debugAlways === true;
      const scope = adapter.beginRequest(context, { debug: wantsDebug, collectTags: true });
      const plan = args.schema ? (adapter.planOf(args.schema) ?? adapter.serve(args.schema)) : undefined;
      const document = args.document as DocumentNode;
      const operationName = args.operationName ?? undefined;
      const policy = plan ? staticCachePolicy(plan, document, operationName) : undefined;
      let outcome: OperationOutcome | undefined;
      const query = context.params?.query;
      if (operationCache && typeof query === 'string' && args.schema) {
        const missCarrier = request && missedEarly.get(request);
        if (missCarrier) adapter.carryFastPathMiss(missCarrier, context);
        outcome = await adapter.lookupOperation(context, {
          schema: args.schema as GraphQLSchema,
          document,
          operationName: (context.params as { operationName?: string | null }).operationName ?? null,
          variables: (args.variableValues as Record<string, unknown> | null | undefined) ?? null,
          queryHash: queryHash(query),
        });
        if (outcome.outcome === 'hit') setResultAndStopExecution({ data: outcome.data as Record<string, unknown> });
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in (result as object)) return;
          const single = result as ExecutionResult;
          let stored = false;
          const cacheable = !single.errors?.length && policy && policy.maxAge > 0 ? policy : undefined;
          if (outcome?.outcome === 'miss')
            stored = adapter.fillOperation(context, single, cacheable ? { maxAge: cacheable.maxAge, scope: cacheable.scope } : undefined);
          if (request) {
            const state = stateOf(request);
            state.cacheControl = narrowCacheControl(state.cacheControl, cacheable);
            if (scope.tags && scope.tags.size > 0 && getOperationAST(document, operationName)?.operation === 'query') addTags(state, scope.tags);
          }
          if (scope.debug) {
            setResult({
              ...single,
              extensions: {
                ...single.extensions,
                cachetag: {
                  ...(outcome ? { operation: describeOperation(outcome, stored) } : {}),
                  fields: scope.debug,
                  ...(scope.invalidated.size ? { invalidated: [...scope.invalidated] } : {}),
                },
              },
            });
          }
        },
      };
    },
    onResponse({ request, response }) {
      const state = responses.get(request);
      if (!state) return;
      if (state.cacheControl) response.headers.set('cache-control', state.cacheControl);
      const tagsHeader = adapter.options.tagsHeader;
      if (tagsHeader && state.tags && state.tags.size > 0) response.headers.set(tagsHeader, tagsHeaderValue(state.tags, tagsHeader));
    },
  };
}

/** The policy a stored `Cache-Control` value says (`max-age=60, public`); undefined for none (no-store). */
function policyOf(cacheControl: string | undefined): { maxAge: number; scope: 'PUBLIC' | 'PRIVATE' } | undefined {
  const match = cacheControl ? /^max-age=(\d+), (public|private)$/.exec(cacheControl) : null;
  return match ? { maxAge: Number(match[1]), scope: match[2] === 'private' ? 'PRIVATE' : 'PUBLIC' } : undefined;
}

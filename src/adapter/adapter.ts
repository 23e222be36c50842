/**
 * The adapter-facing contract: the one object a framework integration (Apollo, Yoga, Express, Fastify, node:http)
 * receives, exposing exactly what integrations need — the schema it serves, a request scope, the operation tier, the
 * HTTP fast path given a raw request, the headers to set — so no integration reaches into another one's internals.
 */
import type { GraphQLSchema } from 'graphql';
import { invalidOption } from '../errors.js';
import type { Cache, OperationOutcome, OperationPolicy, OperationRequest, StoredResponse, StoredResponseRequest } from '../engine/engine.js';
import type { CompleteOperationFill, ExecutedResult } from '../engine/operation/index.js';
import type { CachePlan } from '../engine/plan.js';
import { enginePortOf } from '../engine/port.js';
import type { RequestScope, RequestScopeOptions } from '../engine/requestScope.js';
import { fastPathHeaders, requestHeader, screenRequest, type FastPathRequest, type HeaderSource, type ScreenOptions } from '../http/screen.js';
import { tagsHeaderValue } from '../http/tagsHeader.js';
import { storedBytesOf } from '../engine/operation/storedResponse.js';
import { fastPathMissOf, rememberFastPathMiss } from '../engine/operation/fastPathMiss.js';

/**
 * Where the server keeps the Automatic Persisted Queries it registered (hash → query text), so the fast path answers
 * a hash-only request only when the server would (it answers `PersistedQueryNotFound` for the others), and registers
 * a hash the fast path answered with its text, as the server would have. Apollo's: `apolloPersistedQueries(server)`.
 * Yoga's: the store given to `useAPQ({ store })`.
 */
export interface PersistedQueryRegistry {
  get(sha256Hash: string): Promise<string | undefined | null> | string | undefined | null;
  set(sha256Hash: string, query: string): Promise<unknown> | unknown;
}

/** The session of a raw HTTP request, equal to what the cache's `sessionId(context)` returns for the context the server builds for it. */
export type SessionIdFromRequest = (request: FastPathRequest) => string | null | undefined;

/** How an integration's fast path behaves. Every option that trades safety for speed says what it skips. */
export interface FastPathOptions extends ScreenOptions {
  /** Answer stored responses before the server runs. Default `true`. */
  readonly fastPath?: boolean;
  /** The CDN tags header to send with answers (as the plugin's `tagsHeader`). Default: none (the plugin's, from a plugin). */
  readonly tagsHeader?: string;
  /**
   * Requests carrying this header with a value other than `0` want debug extensions, which only the server writes:
   * they are passed on. Default: none (from a plugin: its `debugHeader` when `debug: 'header'`).
   */
  readonly debugHeader?: string;
  /** Every response carries debug extensions (the plugin's `debug: true`): the fast path answers nothing. */
  readonly debugAlways?: boolean;
  /**
   * PRIVATE stored responses on the fast path: the session of a request, read from the raw request (a header, a
   * cookie), which must equal the cache's `sessionId(context)` for the context the server would build. Without it,
   * PRIVATE responses always go through the server.
   */
  readonly sessionIdFromRequest?: SessionIdFromRequest;
  /** The server's persisted-query registry. Without it persisted queries always go through the server. */
  readonly persistedQueries?: PersistedQueryRegistry;
}

/** An answer of the fast path: write it as it is. */
export interface FastPathAnswer {
  readonly status: 200;
  /** Lower-case header names: content type, Cache-Control and, with `tagsHeader`, the tags. */
  readonly headers: Readonly<Record<string, string>>;
  /** The response body, as stored: do not modify it. */
  readonly body: Uint8Array;
}

/** What every integration receives. See the file header. */
export interface CacheTagAdapter {
  readonly cache: Cache;
  /** The options of the fast path, as resolved. */
  readonly options: FastPathOptions;
  /**
   * A server starts with this schema: instruments it (validating its directives) and makes it the one the fast path
   * answers for. Once two servers were served, the fast path answers nothing (whose response would it be?).
   */
  serve(schema: GraphQLSchema): CachePlan;
  /** The server loaded a new schema (a gateway's supergraph update): instruments it and answers for it from now on. */
  update(schema: GraphQLSchema): CachePlan;
  /**
   * Answers a raw HTTP request from a stored response, or undefined: then hand it to the server, as it is. `context` is
   * the GraphQL context the server will use (a miss then spares the server's lookup its store call), or a function
   * building it, called only for requests the fast path may answer (so it runs no more often than the server would
   * run it); when that function answers `false` (the context failed) the request is left to the server.
   */
  answer(request: FastPathRequest, context?: object | (() => Promise<object | undefined | false>)): Promise<FastPathAnswer | undefined>;
  /** The stored response of an already screened request, for the schema served. */
  storedResponse(request: StoredResponseRequest, context?: object, sessionId?: string | null): Promise<StoredResponse | undefined>;
  /**
   * Hands the miss a fast-path lookup remembered on `from` (the `context` given to {@link storedResponse}) to `to`,
   * the context the server executes with, for an integration whose server builds its context only after the fast
   * path ran (Yoga): the server's operation lookup then spares its store call, as it does with a context built first.
   */
  carryFastPathMiss(from: object, to: object): void;
  /** The plan of an instrumented schema. */
  planOf(schema: GraphQLSchema): CachePlan | undefined;
  /** Opens the per-request scope for a context object. */
  beginRequest(context: object, options?: RequestScopeOptions): RequestScope;
  /** The scope opened for a context, if any. */
  requestScope(context: object): RequestScope | undefined;
  /** The operation tier, before execution. */
  lookupOperation(context: object, request: OperationRequest): Promise<OperationOutcome>;
  /**
   * The operation tier, after execution. With `handoff` for a request an integration announced ({@link expectBody}),
   * the frame waits for the body the server serializes ({@link bodySerialized}), so the response is serialized once:
   * `finalResult` answers the result the server serialized in the end (a later plugin may replace it).
   */
  fillOperation(context: object, result: ExecutedResult, policy?: OperationPolicy, handoff?: BodyHandoff): boolean;
  /**
   * An integration will hand over ({@link bodySerialized}) the body its server serializes for this request: `http` is
   * the request object the server receives (Apollo's `requestContext.request.http`).
   */
  expectBody(http: object): void;
  /**
   * The body the server serialized for a request announced with {@link expectBody}: undefined when there is none (a
   * streamed response, a server that threw). A fill waiting for it is stored now, before the response is written.
   * Call it once per announced request, whatever the server answered.
   */
  bodySerialized(http: object, body: string | undefined): void;
  /** Whether a request asks for debug extensions (by its `debugHeader`, or always). */
  wantsDebug(headers: HeaderSource): boolean;
  /** The tags header to set on an executed query's response, from its scope; undefined when there is none. */
  tagsHeader(scope: RequestScope): [name: string, value: string] | undefined;
  /** The same adapter (same schema, same cache) with other fast-path options. */
  with(options: FastPathOptions): CacheTagAdapter;
}

/** What a fill waiting for the server's serialized body needs: the request it is for, and the result serialized. */
export interface BodyHandoff {
  readonly http: object | undefined;
  readonly finalResult: () => unknown;
}

/** Something an integration can be built on: a cache, or an object carrying its adapter (the Apollo plugin). */
export type AdapterSource = Cache | { readonly adapter: CacheTagAdapter };

/** The adapter of a cache or of a plugin, with `options` added to those it has. */
export function adapterOf(source: AdapterSource, options: FastPathOptions = {}, caller = 'adapterOf'): CacheTagAdapter {
  if (source && typeof source === 'object' && 'adapter' in source && source.adapter) return source.adapter.with(options);
  if (!source || typeof (source as Cache).instrumentSchema !== 'function')
    throw invalidOption(caller, 'cache', 'a Cache from createCache() or the plugin from createApolloPlugin()', source);
  return createAdapter(source as Cache, options);
}

/** Creates the adapter of a cache. */
export function createAdapter(cache: Cache, options: FastPathOptions = {}, binding: { readonly boundToServer?: boolean } = {}): CacheTagAdapter {
  if (!cache || typeof cache.instrumentSchema !== 'function') throw invalidOption('createAdapter', 'cache', 'a Cache from createCache()', cache);
  validateOptions(options);
  // The schema of the server served; shared by every adapter derived with with(), so they answer for the same one.
  return build(cache, options, { schema: undefined, servers: 0, boundToServer: binding.boundToServer ?? false, bodies: new WeakMap() });
}

interface Served {
  schema: GraphQLSchema | undefined;
  servers: number;
  /** Answer only for the schema of the one server served (a plugin's adapter); else a cache's only schema will do. */
  readonly boundToServer: boolean;
  /**
   * Requests whose serialized body an integration will hand over: `expected` until the server's fill is prepared,
   * then the fill waiting for the body. Shared by every adapter derived with with(): the plugin prepares, the
   * integration hands over.
   */
  readonly bodies: WeakMap<object, typeof expected | { complete: CompleteOperationFill; finalResult: () => unknown }>;
}

const expected = Symbol('cachetag.bodyExpected');

function build(cache: Cache, options: FastPathOptions, served: Served): CacheTagAdapter {
  const tagsHeaderName = options.tagsHeader?.toLowerCase();
  const debugHeader = options.debugHeader?.toLowerCase();
  const screenOptions: ScreenOptions = options.csrfPrevention !== undefined ? { csrfPrevention: options.csrfPrevention } : {};
  const fastPathOn = options.fastPath !== false && options.debugAlways !== true;
  // The engine's adapter-facing surface: this adapter is the one object integrations reach it through.
  const engine = enginePortOf(cache);

  const adapter: CacheTagAdapter = {
    cache,
    options,
    serve(schema) {
      const plan = cache.instrumentSchema(schema);
      served.servers++;
      served.schema = schema;
      return plan;
    },
    update(schema) {
      const plan = cache.instrumentSchema(schema);
      served.schema = schema;
      return plan;
    },
    async storedResponse(request, context, sessionId) {
      if (served.servers > 1 || (served.boundToServer && served.servers === 0)) return undefined;
      // A cache given directly and never served: its only schema (the engine's rule).
      return engine.storedResponse(request, context, {
        ...(served.schema ? { schema: served.schema } : {}),
        ...(sessionId !== undefined && sessionId !== null ? { sessionId } : {}),
      });
    },
    carryFastPathMiss(from, to) {
      const miss = fastPathMissOf(from);
      if (miss) rememberFastPathMiss(to, miss);
    },
    async answer(request, context) {
      if (!fastPathOn || adapter.wantsDebug(request.headers)) return undefined;
      const screened = screenRequest(request, screenOptions);
      if (!screened.answer) return undefined;
      const persisted = screened.persistedQuery;
      if (persisted) {
        const registry = options.persistedQueries;
        if (!registry) return undefined;
        // The server looks a hash-only query up in its registry and refuses it when absent: so does the fast path.
        if (!persisted.withQuery && !(await registry.get(persisted.sha256Hash))) return undefined;
      }
      const built = typeof context === 'function' ? await context() : context;
      if (built === false) return undefined;
      const sessionId = options.sessionIdFromRequest?.(request);
      const stored = await adapter.storedResponse(screened.request, built, sessionId);
      if (!stored) return undefined;
      // The server registers a persisted query sent with its text: so does the fast path when it answers instead.
      if (persisted?.withQuery) void Promise.resolve(options.persistedQueries!.set(persisted.sha256Hash, screened.request.query as string)).catch(() => {});
      return {
        status: 200,
        headers: fastPathHeaders(screened.contentType, stored, tagsHeaderName ? { tagsHeader: tagsHeaderName } : {}),
        body: storedBytesOf(stored),
      };
    },
    planOf: (schema) => engine.planOf(schema),
    beginRequest: (context, scopeOptions) => engine.beginRequest(context, scopeOptions),
    requestScope: (context) => engine.requestScope(context),
    lookupOperation: (context, request) => engine.lookupOperation(context, request),
    fillOperation(context, result, policy, handoff) {
      const http = handoff?.http;
      if (http === undefined || served.bodies.get(http) !== expected || !engine.prepareOperationFill) return engine.fillOperation(context, result, policy);
      const prepared = engine.prepareOperationFill(context, result, policy);
      if (typeof prepared !== 'function') return prepared;
      served.bodies.set(http, { complete: prepared, finalResult: handoff!.finalResult });
      return true;
    },
    expectBody(http) {
      served.bodies.set(http, expected);
    },
    bodySerialized(http, body) {
      const waiting = served.bodies.get(http);
      served.bodies.delete(http);
      if (waiting !== undefined && waiting !== expected) waiting.complete(body, waiting.finalResult());
    },
    wantsDebug(headers) {
      if (options.debugAlways) return true;
      if (!debugHeader) return false;
      const value = requestHeader({ headers }, debugHeader);
      return value !== undefined && value !== '0';
    },
    tagsHeader(scope) {
      if (!tagsHeaderName || !scope.tags || scope.tags.size === 0) return undefined;
      return [tagsHeaderName, tagsHeaderValue(scope.tags, tagsHeaderName)];
    },
    with(extra) {
      validateOptions(extra);
      return build(cache, { ...options, ...extra }, served);
    },
  };
  return adapter;
}

function validateOptions(options: FastPathOptions): void {
  if (options === null || typeof options !== 'object') throw invalidOption('createAdapter', 'options', 'an object', options);
  if (options.tagsHeader !== undefined && (typeof options.tagsHeader !== 'string' || !/^[A-Za-z0-9-]+$/.test(options.tagsHeader)))
    throw invalidOption('createAdapter', 'tagsHeader', 'an HTTP header name such as "Surrogate-Key"', options.tagsHeader);
  if (options.sessionIdFromRequest !== undefined && typeof options.sessionIdFromRequest !== 'function')
    throw invalidOption('createAdapter', 'sessionIdFromRequest', 'a function (request) => string | undefined', options.sessionIdFromRequest);
  const registry = options.persistedQueries;
  if (registry !== undefined && (typeof registry?.get !== 'function' || typeof registry?.set !== 'function'))
    throw invalidOption('createAdapter', 'persistedQueries', 'an object with get(hash) and set(hash, query)', registry);
}

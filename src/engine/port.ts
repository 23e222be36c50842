/**
 * The engine's adapter-facing surface: what framework integrations call around execution (request scopes, the
 * operation tier, the HTTP fast path). Users never need it; integrations reach it through the adapter contract
 * (`adapterOf(cache)` in src/adapter), which is the one object they receive.
 */
import type { GraphQLSchema } from 'graphql';
import type { CachePlan } from './plan.js';
import type { RequestScope, RequestScopeOptions } from './requestScope.js';
import type {
  OperationOutcome,
  OperationPolicy,
  OperationRequest,
  PrepareOperationFill,
  StoredResponse,
  StoredResponseOptions,
  StoredResponseRequest,
} from './operation/index.js';

export interface EnginePort {
  /** The plan of an instrumented schema. */
  planOf(schema: GraphQLSchema): CachePlan | undefined;
  /**
   * Opens the per-request scope for a GraphQL context object. Optional: a
   * context seen for the first time gets a default scope. Adapters call it
   * to ask for debug records or response tags.
   */
  beginRequest(context: object, options?: RequestScopeOptions): RequestScope;
  /** The scope of a context, if one was opened. */
  requestScope(context: object): RequestScope | undefined;
  /**
   * The operation tier, step 1 (adapters call it before execution): answers
   * an eligible query from its stored response, or remembers, in the
   * request scope, where a fresh response may be stored.
   */
  lookupOperation(context: object, request: OperationRequest): Promise<OperationOutcome>;
  /**
   * The operation tier, step 2 (after execution): stores the response when
   * the lookup missed, execution had no error and no cached field bypassed
   * the cache. `policy` is what an HTTP cache may be told on later hits.
   */
  fillOperation(context: object, result: { data?: unknown; errors?: readonly unknown[] }, policy?: OperationPolicy): boolean;
  /**
   * `fillOperation` in two steps, for an integration that can hand over the body its server serialized: the checks
   * now, the frame from that body once it is written (the response is not serialized twice). `true`/`false`: filled,
   * or not to be filled, at once. Optional: a hand-made cache without it is filled in one step.
   */
  prepareOperationFill?: PrepareOperationFill;
  /**
   * The operation tier's HTTP fast path: the stored response of a PUBLIC
   * query, as the JSON text to send, found from the request as received (query
   * text, variables, operation name), without parsing or executing anything.
   * Undefined when there is none (then hand the request to the server, which
   * executes it and may store its response). Call it before your GraphQL
   * server only where skipping the server's own plugins for such a response is
   * acceptable (they do not run on a fast-path answer). Pass the GraphQL
   * context object the server will use, and a miss here spares the
   * server's operation lookup its store call. Stored responses belong to the schema that produced them: name it
   * (`{ schema }`, or use the Apollo plugin's own `storedResponse`) when the cache serves more than one schema;
   * unnamed, the only instrumented schema is used, and none (undefined) when there are several.
   */
  storedResponse(request: StoredResponseRequest, context?: object, options?: StoredResponseOptions): Promise<StoredResponse | undefined>;
}

const ports = new WeakMap<object, EnginePort>();

/** Records the port of a cache (createCache does, once). */
export function registerEnginePort(cache: object, port: EnginePort): void {
  ports.set(cache, port);
}

/**
 * The port of a cache made by createCache; for any other object implementing the (deprecated) pass-throughs, the
 * object itself, so a wrapped or hand-made cache still works with the integrations.
 */
export function enginePortOf(cache: object): EnginePort {
  return ports.get(cache) ?? (cache as EnginePort);
}

/**
 * Finds the request scope of a GraphQL context object (a WeakMap, so the engine needs nothing from the server
 * framework and a scope goes with its context).
 */
import type { Store } from '../stores/types.js';
import { RequestScope, type RequestScopeOptions } from './requestScope.js';

export interface RequestScopes {
  /** Opens the scope of a context, replacing any earlier one. */
  begin(context: object, options?: RequestScopeOptions): RequestScope;
  /** The scope of a context, if one was opened. */
  find(context: unknown): RequestScope | undefined;
  /** The scope of a context, opened with defaults when the context has none (a throw-away one for a non-object). */
  of(context: unknown): RequestScope;
}

export function createRequestScopes(store: Store): RequestScopes {
  const scopes = new WeakMap<object, RequestScope>();
  return {
    begin(context, options) {
      const scope = new RequestScope(store, options);
      scopes.set(context, scope);
      return scope;
    },
    find(context) {
      return context !== null && typeof context === 'object' ? scopes.get(context) : undefined;
    },
    of(context) {
      if (context === null || typeof context !== 'object') return new RequestScope(store);
      let scope = scopes.get(context);
      if (!scope) {
        scope = new RequestScope(store);
        scopes.set(context, scope);
      }
      return scope;
    },
  };
}

/** The operation tier's public types: what adapters hand it, and what it answers. */
import type { DocumentNode, GraphQLSchema } from 'graphql';

/** What the operation tier needs to know about a request. */
export interface OperationRequest {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName?: string | null;
  readonly variables?: Readonly<Record<string, unknown>> | null;
  /** The SHA-256 hex digest of the query text: Apollo's `queryHash`, or {@link queryHash}(text). */
  readonly queryHash: string;
}

/** The HTTP cache policy stored with an operation response. */
export interface OperationPolicy {
  readonly maxAge?: number;
  readonly scope?: 'PUBLIC' | 'PRIVATE';
}

/** A GraphQL request as received over HTTP. */
export interface StoredResponseRequest {
  readonly query?: unknown;
  /**
   * The SHA-256 hex digest of the query text, for a persisted query sent without its text: the stored response is
   * found by it alone. Only pass a hash the server has registered (it would refuse the others).
   */
  readonly queryHash?: string;
  readonly variables?: unknown;
  readonly operationName?: unknown;
}

/** Which server's stored response {@link Cache.storedResponse} looks for. */
export interface StoredResponseOptions {
  /**
   * The schema of the server the request is for (an instrumented one). Required as soon as the cache has instrumented
   * more than one schema (several servers on one cache, or a server whose schema was replaced): without it the fast
   * path cannot tell whose stored response to answer with, and answers none.
   */
  readonly schema?: GraphQLSchema;
  /**
   * The session of the request, as `sessionId(context)` would return it for the context the server will build: the
   * PRIVATE stored response of that session may answer too. Without it only PUBLIC stored responses answer.
   */
  readonly sessionId?: string | null;
}

/** A stored response, ready to send. */
export interface StoredResponse {
  /** The response body: `{"data":...}` and a newline, as Apollo Server writes it. */
  readonly body: string;
  /**
   * The same body as UTF-8 bytes, as stored: write these when the server accepts bytes (`response.end(bytes)`), which
   * spares decoding the text and encoding it again. They are this call's own copy: modifying them changes nothing
   * stored.
   */
  readonly bytes: Uint8Array;
  /** The `Cache-Control` value of the original response (`max-age=60, public`), when it had one. */
  readonly cacheControl?: string;
  /** The tags the response depends on. */
  readonly tags: readonly string[];
}

/** What the operation tier did for one request. */
export type OperationOutcome =
  | { readonly outcome: 'hit'; readonly key: string; readonly data: unknown; readonly tags: readonly string[]; readonly policy?: OperationPolicy }
  | { readonly outcome: 'miss'; readonly key: string; readonly reason: 'absent' | 'stale' | 'corrupt' }
  | { readonly outcome: 'bypass'; readonly reason: string };

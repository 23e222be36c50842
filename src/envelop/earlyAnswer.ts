/**
 * The Yoga fast path at the earliest hook (`onRequest`): a plain JSON POST that Yoga would parse, accept and answer
 * with a single JSON result is answered from its stored response there, before Yoga's request parsing, validation
 * and result processing run (most of Yoga's per-request cost). Anything less plain is left to Yoga, where the
 * `onParams` fast path still answers it after Yoga's own checks.
 */
import type { CacheTagAdapter } from '../adapter/adapter.js';
import type { StoredResponse, StoredResponseRequest } from '../engine/engine.js';
import { registerPersistedQuery, resolvePersistedQuery } from './persistedQuery.js';

/** The default largest body the early answer reads, in bytes: far below Yoga's default `maxRequestBodySize` (25 MB). */
export const defaultEarlyMaxBodyBytes = 16 * 1024;

/** The parameters Yoga accepts in a body (its `useCheckGraphQLQueryParams`); any other key is Yoga's to refuse. */
const PARAMS = new Set(['query', 'variables', 'operationName', 'extensions']);
const JSON_CONTENT_TYPE = /^application\/json(;\s*charset=utf-8)?$/i;
// Yoga's result processors in its order, with the media types each serves; the last match of Accept wins.
const PROCESSORS: ReadonlyArray<readonly [regular: boolean, mediaTypes: readonly string[]]> = [
  [false, ['text/event-stream']],
  [false, ['multipart/mixed']],
  [true, ['application/graphql-response+json', 'application/json']],
];

export interface EarlyRequest {
  readonly method: string;
  readonly headers: { get(name: string): string | null };
  json(): Promise<unknown>;
}

/**
 * A stored response to send for a request Yoga would answer with it, and its content type; `'miss'` when the store was
 * asked and holds none (Yoga's `onParams` need not ask again for the same parameters); undefined: leave it to Yoga.
 * A miss is remembered on `missCarrier`, for the context Yoga builds later (`carryFastPathMiss`).
 */
export async function earlyAnswer(
  adapter: CacheTagAdapter,
  request: EarlyRequest,
  maxBodyBytes: number,
  missCarrier?: object,
): Promise<{ stored: StoredResponse; contentType: string } | 'miss' | undefined> {
  if (request.method !== 'POST') return undefined;
  const headers = request.headers;
  if (!JSON_CONTENT_TYPE.test(headers.get('content-type') ?? '') || headers.get('content-encoding') !== null) return undefined;
  // A body of known length within the bound: Yoga's body-size check and its parser then agree with ours.
  const length = headers.get('content-length');
  if (length === null || !/^\d+$/.test(length) || Number(length) > maxBodyBytes) return undefined;
  if (adapter.wantsDebug(headers)) return undefined;
  const mediaType = regularMediaType(headers.get('accept'));
  if (!mediaType) return undefined;
  // Yoga reads the body with the same request.json(), which keeps what it read: a miss costs Yoga no second read.
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return undefined;
  }
  // Persisted queries only with the store `useAPQ` uses: without it they are Yoga's APQ plugin's alone.
  const store = adapter.options.persistedQueries;
  const screened = screenParams(body, store !== undefined);
  if (!screened) return undefined;
  let stored: StoredResponse | undefined;
  const sessionId = adapter.options.sessionIdFromRequest?.({ method: request.method, headers });
  if (!('persistedQuery' in screened)) stored = await adapter.storedResponse(screened.request, missCarrier, sessionId);
  else {
    const resolved = await resolvePersistedQuery(store!, screened.persistedQuery, screened.request.query);
    if (!resolved) return undefined;
    stored = await adapter.storedResponse({ ...screened.request, query: resolved.query }, missCarrier, sessionId);
    // Yoga's pipeline, useAPQ included, does not run for this request: register the hash as useAPQ would have,
    // before answering (a client may send the hash alone next); a store that fails leaves the request to Yoga.
    if (stored && resolved.register !== undefined && !(await registerPersistedQuery(store!, resolved.register, resolved.query))) return undefined;
  }
  if (!stored) return 'miss';
  return { stored, contentType: `${mediaType}; charset=utf-8` };
}

interface ScreenedParams {
  /** Its query: a non-empty text, or with a persisted query whatever it is (resolved as `useAPQ` does). */
  readonly request: StoredResponseRequest;
  /** Present when the extensions carry `persistedQuery` (whatever its value): to resolve as `useAPQ` does. */
  readonly persistedQuery?: unknown;
}

/**
 * The parameters of a body Yoga would accept as it is. A query text is required, except with a persisted query
 * (`persisted`: the APQ store is known), which may come without it.
 */
function screenParams(body: unknown, persisted: boolean): ScreenedParams | undefined {
  if (!isPlainObject(body)) return undefined;
  for (const key of Object.keys(body)) if (!PARAMS.has(key)) return undefined;
  const { query, variables, operationName, extensions } = body;
  if (variables !== undefined && variables !== null && !isPlainObject(variables)) return undefined;
  if (operationName !== undefined && operationName !== null && (typeof operationName !== 'string' || operationName === '')) return undefined;
  if (extensions !== undefined && extensions !== null && !isPlainObject(extensions)) return undefined;
  const request = { query, ...(isPlainObject(variables) ? { variables } : {}), ...(typeof operationName === 'string' ? { operationName } : {}) };
  if (isPlainObject(extensions) && 'persistedQuery' in extensions)
    return persisted && (query === undefined || query === null || typeof query === 'string')
      ? { request, persistedQuery: extensions.persistedQuery }
      : undefined;
  return typeof query === 'string' && query !== '' ? { request } : undefined;
}

/**
 * The media type Yoga's result processing picks for a single result (its `useResultProcessors`: every processor in
 * order, every accepted type in reverse order, the last match wins), when that is its regular JSON processor.
 */
function regularMediaType(accept: string | null): string | undefined {
  const requested: string[] = [];
  for (const part of (accept || '*/*').replace(/\s/g, '').toLowerCase().split(',')) {
    const [type, ...params] = part.split(';');
    if ((params.find((param) => param.includes('charset=')) ?? 'charset=utf-8') !== 'charset=utf-8') continue;
    requested.push(type!);
  }
  requested.reverse();
  let chosen: [regular: boolean, mediaType: string] | undefined;
  for (const [regular, mediaTypes] of PROCESSORS)
    for (const asked of requested) for (const mediaType of mediaTypes) if (matches(mediaType, asked)) chosen = [regular, mediaType];
  return chosen?.[0] ? chosen[1] : undefined;
}

function matches(offered: string, asked: string): boolean {
  const [offeredType, offeredSubtype] = offered.split('/');
  const [type, subtype] = asked.split('/');
  return (type === '*' || type === offeredType) && (subtype === '*' || subtype === offeredSubtype);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

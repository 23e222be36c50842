/**
 * Screening for the HTTP fast path: which requests a stored response may answer without the server, and with which
 * headers. The fast path must answer exactly what the server would answer (Apollo Server's rules: its CSRF
 * prevention, its request parsing, its content negotiation) and pass on everything else, so the server answers it
 * as it would alone. Framework-agnostic: any integration (node:http, Express, Fastify...) hands over the method,
 * headers, query string and parsed body.
 */
import { queryHash, type StoredResponse, type StoredResponseRequest } from '../engine/engine.js';
import { memoizeString } from '../engine/memo.js';
import { tagsHeaderValue } from './tagsHeader.js';

/** Request headers: anything with `get(name)` (Fetch `Headers`, Apollo's `HeaderMap`) or Node's `req.headers`. */
export type HeaderSource = { get(name: string): string | null | undefined } | Readonly<Record<string, string | readonly string[] | undefined>>;

/** An HTTP request as an integration received it. */
export interface FastPathRequest {
  /** `GET` or `POST`; anything else goes to the server. */
  readonly method: string;
  readonly headers: HeaderSource;
  /** The URL's query string, with or without its `?`: GET requests carry their parameters there. */
  readonly search?: string;
  /** The body parsed as JSON (POST); `undefined` when there was none. */
  readonly body?: unknown;
}

/** How the server behind the fast path is configured, where that changes what it answers. */
export interface ScreenOptions {
  /**
   * The server's CSRF prevention, as given to Apollo Server's `csrfPrevention` option. Default `true` (Apollo's
   * default): requests without a `Content-Type` that forces a preflight must carry a non-empty
   * `x-apollo-operation-name` or `apollo-require-preflight` header; `{ requestHeaders }` names other headers.
   */
  readonly csrfPrevention?: boolean | { readonly requestHeaders?: readonly string[] };
}

/** The outcome of {@link screenRequest}. */
export type ScreenResult =
  /** The fast path may answer with a stored response of `request`, sent with `contentType`. */
  | {
      readonly answer: true;
      readonly request: StoredResponseRequest;
      readonly contentType: string;
      /**
       * An Automatic Persisted Query (version 1): its hash, and whether the query text came with it (then the server
       * would register the hash). Without the text, only a hash the server has registered may be answered.
       */
      readonly persistedQuery?: { readonly sha256Hash: string; readonly withQuery: boolean };
    }
  /** The server must answer (it may refuse the request, or answer it in a way a stored response cannot); `reason` says why. */
  | { readonly answer: false; readonly reason: string };

/** Apollo Server's default `csrfPrevention` request headers. */
export const defaultCsrfPreventionRequestHeaders: readonly string[] = ['x-apollo-operation-name', 'apollo-require-preflight'];

const NON_PREFLIGHTED_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';
// Apollo's offers, in its order: a single result, and on GET also the incremental formats and its landing page.
const SINGLE_RESULT_OFFERS = [JSON_TYPE, GRAPHQL_RESPONSE_TYPE, 'application/json; callbackSpec=1.0; charset=utf-8'];
const LANDING_PAGE_OFFERS = [
  JSON_TYPE,
  GRAPHQL_RESPONSE_TYPE,
  'multipart/mixed',
  'multipart/mixed; deferSpec=20220824',
  'multipart/mixed; incrementalSpec=v0.2',
  'text/html',
];

/**
 * Decides whether the fast path may answer a request, and with which content type; everything the server would
 * refuse or answer differently (CSRF prevention, a malformed request, a content type or `Accept` it would refuse, the
 * landing page a browser asks for, an empty `operationName`, a persisted query whose hash does not match its text
 * or whose version is not 1) is passed on. A persisted query without its text comes back with `persistedQuery`: the
 * caller must check that the server registered the hash before answering.
 */
export function screenRequest(request: FastPathRequest, options: ScreenOptions = {}): ScreenResult {
  const pass = (reason: string): ScreenResult => ({ answer: false, reason });
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'POST') return pass(`the method is ${method}`);
  const accept = headerOf(request.headers, 'accept');
  if (method === 'GET' && accept) {
    const landing = negotiateLandingPage(accept);
    if (landing !== JSON_TYPE && landing !== GRAPHQL_RESPONSE_TYPE) return pass('the client may prefer the landing page');
  }
  const contentType = headerOf(request.headers, 'content-type');
  const essence = contentType === undefined ? undefined : essenceOf(contentType) || undefined;
  const csrf = options.csrfPrevention ?? true;
  if (csrf !== false && (contentType === undefined || (essence !== undefined && NON_PREFLIGHTED_CONTENT_TYPES.includes(essence)))) {
    const required = csrf === true ? defaultCsrfPreventionRequestHeaders : (csrf.requestHeaders ?? defaultCsrfPreventionRequestHeaders);
    if (!required.some((name) => (headerOf(request.headers, name.toLowerCase()) ?? '').length > 0)) return pass('CSRF prevention blocks it');
  }
  let fields: { query: unknown; variables: unknown; extensions: unknown; operationName: unknown };
  if (method === 'POST') {
    if (essence !== 'application/json') return pass('a POST body that is not application/json');
    const body = request.body;
    if (!isRecord(body) || Object.keys(body).length === 0) return pass('the body is not a JSON object with keys');
    fields = { query: body.query, variables: body.variables, extensions: body.extensions, operationName: body.operationName };
  } else {
    if (contentType !== undefined && essence !== 'application/json') return pass('a GET request with a content type other than application/json');
    const params = new URLSearchParams(request.search ?? '');
    const single = (name: string) => {
      const values = params.getAll(name);
      return values.length > 1 ? pass(`the ${name} parameter is repeated`) : values[0];
    };
    const query = single('query');
    const operationName = single('operationName');
    const variables = single('variables');
    const extensions = single('extensions');
    for (const value of [query, operationName, variables, extensions]) if (typeof value === 'object') return value;
    const json = (text: string | undefined) => {
      if (text === undefined) return undefined;
      try {
        const parsed: unknown = JSON.parse(text);
        return isRecord(parsed) ? parsed : INVALID;
      } catch {
        return INVALID;
      }
    };
    fields = { query, variables: json(variables as string | undefined), extensions: json(extensions as string | undefined), operationName };
  }
  const { query, variables, extensions, operationName } = fields;
  // Automatic Persisted Queries, as Apollo Server checks them: version 1, and a hash that matches the text when the
  // text comes along; anything else (a mismatch, another version) is the server's to refuse.
  const persisted = isRecord(extensions) ? extensions.persistedQuery : undefined;
  let persistedQuery: { sha256Hash: string; withQuery: boolean } | undefined;
  if (persisted !== undefined) {
    if (!isRecord(persisted) || persisted.version !== 1) return pass('a persisted query the server must check');
    const sha256Hash = persisted.sha256Hash;
    if (typeof sha256Hash !== 'string' || !/^[0-9a-f]{64}$/.test(sha256Hash)) return pass('a persisted query with a malformed hash');
    if (query !== undefined && (typeof query !== 'string' || queryHash(query) !== sha256Hash))
      return pass('a persisted-query hash that does not match the query');
    persistedQuery = { sha256Hash, withQuery: query !== undefined };
  }
  // Only a hash-only persisted query comes without its text.
  if (persistedQuery?.withQuery !== false && (typeof query !== 'string' || query === '')) return pass('no query text');
  if (variables !== undefined && variables !== null && !isRecord(variables)) return pass('variables is not an object');
  if (extensions !== undefined && extensions !== null && !isRecord(extensions)) return pass('extensions is not an object');
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return pass('operationName is not a string');
  // Apollo looks for an operation named "" and finds none: only the server can answer that.
  if (operationName === '') return pass('operationName is empty');
  const chosen = accept ? negotiateSingleResult(accept) : JSON_TYPE;
  if (chosen !== JSON_TYPE && chosen !== GRAPHQL_RESPONSE_TYPE) return pass('the Accept header asks for another format');
  return {
    answer: true,
    request: {
      ...(typeof query === 'string' ? { query } : { queryHash: persistedQuery!.sha256Hash }),
      ...(isRecord(variables) ? { variables } : {}),
      ...(typeof operationName === 'string' ? { operationName } : {}),
    },
    contentType: chosen,
    ...(persistedQuery ? { persistedQuery } : {}),
  };
}

/**
 * The headers to send a stored response with, as the server would: the content type {@link screenRequest} chose,
 * `Cache-Control` (the stored response's, or `no-store` as Apollo sends for an uncacheable response) and, with
 * `tagsHeader`, the tags (ancestors included, encoded with `encodeTagForHeader`), as the Apollo plugin writes them.
 */
export function fastPathHeaders(contentType: string, stored: StoredResponse, options: { readonly tagsHeader?: string } = {}): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': contentType, 'cache-control': stored.cacheControl ?? 'no-store' };
  if (options.tagsHeader && stored.tags.length > 0) headers[options.tagsHeader.toLowerCase()] = tagsHeaderValue(stored.tags, options.tagsHeader);
  return headers;
}

const INVALID = Symbol('invalid');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** A request header (name in lower case), whatever the headers' shape: for `sessionIdFromRequest`. */
export function requestHeader(request: { readonly headers: HeaderSource }, name: string): string | undefined {
  return headerOf(request.headers, name);
}

function headerOf(headers: HeaderSource, name: string): string | undefined {
  if (typeof headers.get === 'function') return (headers as { get(name: string): string | null | undefined }).get(name) ?? undefined;
  const value = (headers as Record<string, string | readonly string[] | undefined>)[name];
  return typeof value === 'string' ? value : value === undefined ? undefined : value.join(', ');
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^\\s*(${TOKEN})/(${TOKEN})\\s*((?:;\\s*${TOKEN}=(?:${TOKEN}|"[^"\\\\]*")\\s*)*)$`);
const PARAMETER = new RegExp(`;\\s*(${TOKEN})=(${TOKEN}|"[^"\\\\]*")`, 'g');

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly params: Record<string, string>;
  readonly q: number;
  readonly order: number;
}

function parseMediaType(text: string, order: number): MediaRange | undefined {
  const match = MEDIA_TYPE.exec(text);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const [, name, raw] of match[3]!.matchAll(PARAMETER)) params[name!.toLowerCase()] = raw!.startsWith('"') ? raw!.slice(1, -1) : raw!;
  let q = 1;
  if (params.q !== undefined) {
    if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(params.q)) return undefined;
    q = Number(params.q);
    delete params.q;
  }
  return { type: match[1]!.toLowerCase(), subtype: match[2]!.toLowerCase(), params, q, order };
}

/** `type/subtype` of a Content-Type, lower-cased; undefined when it does not parse (Apollo then skips its CSRF check, but such a request is passed on anyway). */
function mediaTypeEssence(contentType: string): string | undefined {
  const parsed = parseMediaType(contentType, 0);
  return parsed ? `${parsed.type}/${parsed.subtype}` : undefined;
}

// Clients send the same few Content-Type and Accept values again and again: each is parsed once (bounded memos, '' for
// none), not on every request.
const essenceOf = memoizeString((contentType) => mediaTypeEssence(contentType) ?? '', 256, 256);
const negotiateSingleResult = memoizeString((accept) => negotiate(accept, SINGLE_RESULT_OFFERS) ?? '', 256, 1024);
const negotiateLandingPage = memoizeString((accept) => negotiate(accept, LANDING_PAGE_OFFERS) ?? '', 256, 1024);

/**
 * The offer Apollo's content negotiation (the `negotiator` package) picks for an Accept header, or undefined when
 * none is acceptable or the header is not one this strict parser reads the same way (then the request is passed on).
 */
function negotiate(accept: string, offers: readonly string[]): string | undefined {
  const ranges: MediaRange[] = [];
  for (const [order, part] of accept.split(',').entries()) {
    const range = parseMediaType(part, order);
    if (!range) return undefined;
    ranges.push(range);
  }
  let best: { q: number; s: number; o: number; i: number } | undefined;
  let chosen: string | undefined;
  for (const [index, offer] of offers.entries()) {
    const type = parseMediaType(offer, 0)!;
    let priority = { q: 0, s: 0, o: -1, i: index };
    for (const range of ranges) {
      let s = 0;
      if (range.type === type.type) s |= 4;
      else if (range.type !== '*') continue;
      if (range.subtype === type.subtype) s |= 2;
      else if (range.subtype !== '*') continue;
      const keys = Object.keys(range.params);
      if (keys.length > 0) {
        if (!keys.every((k) => range.params[k] === '*' || range.params[k]!.toLowerCase() === (type.params[k] ?? '').toLowerCase())) continue;
        s |= 1;
      }
      if ((priority.s - s || priority.q - range.q || priority.o - range.order) < 0) priority = { q: range.q, s, o: range.order, i: index };
    }
    if (priority.q <= 0) continue;
    if (!best || priority.q - best.q > 0 || (priority.q === best.q && (priority.s - best.s > 0 || (priority.s === best.s && priority.o < best.o)))) {
      best = priority;
      chosen = offer;
    }
  }
  return chosen;
}

/**
 * Local stand-ins for the invalidation endpoints cachetag's forwarders call, each on 127.0.0.1 and implementing the
 * documented contract: Apollo Router's invalidation endpoint (POST `[{kind: "cache_tag", subgraphs, cache_tag}]`,
 * `Authorization: <shared key>`, 202 `{count}`, 401 without the key, 400 on a malformed body), Fastly's surrogate-key
 * purge (POST /service/{id}/purge, `Fastly-Key`, `{surrogate_keys}` of at most 256) and Cloudflare's purge by tag
 * (POST /client/v4/zones/{zone}/purge_cache, `Authorization: Bearer`, `{tags}` of at most 100, `{success}` answer).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Endpoint {
  readonly url: string;
  /** Every accepted call's payload (router: the cache tags; Fastly: surrogate keys; Cloudflare: tags), in order. */
  readonly calls: string[][];
  /** Every request received, accepted or not, with its status. */
  readonly requests: { path: string; status: number }[];
  /** Makes the next `count` requests fail with `status` (0: never answer). */
  failNext(count: number, status: number): void;
  close(): Promise<void>;
}

type Handler = (request: IncomingMessage, body: unknown, path: string) => { status: number; body: unknown; payload?: string[] };

async function serve(handler: Handler): Promise<Endpoint> {
  const calls: string[][] = [];
  const requests: { path: string; status: number }[] = [];
  let failures = 0;
  let failStatus = 503;
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      if (failures > 0) {
        failures--;
        requests.push({ path, status: failStatus });
        if (failStatus === 0) {
          hanging.add(response);
          return;
        }
        response.writeHead(failStatus, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      const answer = request.method === 'POST' ? handler(request, body, path) : { status: 405, body: { error: 'method not allowed' } };
      requests.push({ path, status: answer.status });
      if (answer.payload) calls.push(answer.payload);
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    requests,
    failNext(count, status) {
      failures = count;
      failStatus = status;
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/** Apollo Router's invalidation endpoint, at `/invalidation`, for subgraphs sharing `sharedKey`. */
export function routerInvalidationEndpoint(sharedKey: string, knownSubgraphs: readonly string[]): Promise<Endpoint> {
  return serve((request, body, path) => {
    if (path !== '/invalidation') return { status: 404, body: { errors: [{ message: 'not found' }] } };
    const authorization = request.headers.authorization;
    if (authorization === undefined) return { status: 401, body: { errors: [{ message: 'Missing authorization header' }] } };
    const valid =
      Array.isArray(body) &&
      body.every(
        (item: Record<string, unknown>) =>
          item?.kind === 'cache_tag' &&
          isStringArray(item.subgraphs) &&
          item.subgraphs.length > 0 &&
          typeof item.cache_tag === 'string' &&
          Object.keys(item).length === 3,
      );
    if (!valid) return { status: 400, body: { errors: [{ message: 'failed to deserialize the request body into JSON' }] } };
    const items = body as { subgraphs: string[]; cache_tag: string }[];
    if (authorization !== sharedKey || !items.every((item) => item.subgraphs.every((s) => knownSubgraphs.includes(s)))) {
      return { status: 401, body: { errors: [{ message: 'Invalid authorization header' }] } };
    }
    return { status: 202, body: { count: items.length }, payload: items.map((item) => item.cache_tag) };
  });
}

/** Fastly's purge API for one service. */
export function fastlyEndpoint(serviceId: string, apiKey: string): Promise<Endpoint> {
  return serve((request, body, path) => {
    if (path !== `/service/${serviceId}/purge`) return { status: 404, body: { msg: 'Record not found' } };
    if (request.headers['fastly-key'] !== apiKey) return { status: 401, body: { msg: 'Provided credentials are missing or invalid' } };
    const keys = (body as { surrogate_keys?: unknown })?.surrogate_keys;
    if (!isStringArray(keys) || keys.length === 0 || keys.length > 256 || keys.some((k) => /[\s,]/.test(k))) {
      return { status: 400, body: { msg: 'Bad request' } };
    }
    return { status: 200, body: Object.fromEntries(keys.map((k, i) => [k, `purge-${i}`])), payload: keys };
  });
}

/** Cloudflare's purge API for one zone. */
export function cloudflareEndpoint(zoneId: string, apiToken: string): Promise<Endpoint> {
  return serve((request, body, path) => {
    if (path !== `/client/v4/zones/${zoneId}/purge_cache`) return { status: 404, body: { success: false, errors: [{ code: 7003, message: 'No route' }] } };
    if (request.headers.authorization !== `Bearer ${apiToken}`)
      return { status: 403, body: { success: false, errors: [{ code: 10000, message: 'Authentication error' }] } };
    const tags = (body as { tags?: unknown })?.tags;
    if (!isStringArray(tags) || tags.length === 0 || tags.length > 100) {
      return { status: 400, body: { success: false, errors: [{ code: 1012, message: 'Request must contain one of "purge_everything", "files", "tags"' }] } };
    }
    return { status: 200, body: { success: true, errors: [], messages: [], result: { id: zoneId } }, payload: tags };
  });
}

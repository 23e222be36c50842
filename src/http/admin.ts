/**
 * The cache's admin endpoints, for the CLI's `--url` target: the memory store lives inside the server process, so an
 * operator reaches it only through the server. A node:http handler answering JSON, mountable in Express
 * (`app.use('/cachetag', handler)`), Fastify (`fastify.all('/cachetag/*', (req, reply) => handler(req.raw, reply.raw))`
 * with `basePath`) or a plain node:http server:
 *
 *   GET  <base>/stats                 this process's counters (`cache.stats()`) and what the store holds
 *   GET  <base>/inspect[?target=X]    entries (all, of a coordinate `Type.field`, or one cache key), memory store only
 *   GET  <base>/tags?tag=T[&tag=U]    each tag's version and its ancestors', memory store only
 *   POST <base>/invalidate            body `{"tags": [...]}`: `cache.invalidate(tags)`
 *   GET  <base>/watch                 Server-Sent Events, one `data:` JSON line per acknowledged invalidation
 *
 * Protected: with `token`, every request must carry `Authorization: Bearer <token>`; without one, only loopback
 * clients (127.0.0.1, ::1) are answered.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cache } from '../engine/engine.js';
import { isUnacknowledgedInvalidation } from '../errors.js';
import { invalidOption } from '../errors.js';
import type { EntryInfo } from '../stores/entryInfo.js';
import { ancestorsAndSelf, assertValidTag } from '../tags/hierarchy.js';

export interface CacheAdminOptions {
  /** A secret every request must present as `Authorization: Bearer <token>`. Default: none, and loopback clients only. */
  readonly token?: string;
  /** A path prefix to strip from `req.url` (`/cachetag`), for servers that do not strip the mount path (node:http, Fastify). Default: none. */
  readonly basePath?: string;
  /** Largest `POST /invalidate` body, in bytes. Default 64 KiB. */
  readonly maxBodyBytes?: number;
}

/** What a store offers the admin handler when it can be read in process (the memory store). */
interface InspectableStore {
  inspect(filter?: { coordinate?: string; key?: string }): EntryInfo[];
  tagVersion(tag: string): number | undefined;
  readonly size?: number;
  readonly bytes?: number;
  readonly seq?: number;
}

/** A node:http request handler; `next` (Express) is called for paths it does not serve. */
export type CacheAdminHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

/** Creates the admin handler of a cache. */
export function cacheAdmin(cache: Cache, options: CacheAdminOptions = {}): CacheAdminHandler {
  if (options.token !== undefined && (typeof options.token !== 'string' || options.token.length < 8)) {
    throw invalidOption('cacheAdmin', 'token', 'a string of at least 8 characters', options.token);
  }
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const expected = options.token === undefined ? undefined : digest(options.token);
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const store = cache.store as Partial<InspectableStore>;
  const inspectable = typeof store.inspect === 'function' && typeof store.tagVersion === 'function' ? (store as InspectableStore) : undefined;

  function allowed(req: IncomingMessage): { status: number; error: string } | undefined {
    if (expected) {
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      // Compared as digests: equal lengths, constant time.
      return given !== undefined && timingSafeEqual(digest(given), expected)
        ? undefined
        : { status: 401, error: 'a valid Authorization: Bearer <token> is required.' };
    }
    return isLoopback(req.socket.remoteAddress ?? '')
      ? undefined
      : { status: 403, error: 'without a token, only loopback clients are answered (cacheAdmin(cache, { token })).' };
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    const want = (m: string) => {
      if (method === m) return true;
      send(res, 405, { error: `${path} answers ${m} only.` });
      return false;
    };
    const needsStore = () => {
      if (inspectable) return true;
      send(res, 501, { error: 'this store cannot be read in process: read a Redis store with cachetag --redis <url>.' });
      return false;
    };
    switch (path) {
      case '/stats':
        if (!want('GET')) return;
        send(res, 200, {
          stats: cache.stats(),
          ...(inspectable && typeof store.size === 'number' ? { store: { entries: store.size, bytes: store.bytes, seq: store.seq } } : {}),
        });
        return;
      case '/inspect': {
        if (!want('GET') || !needsStore()) return;
        const target = url.searchParams.get('target') ?? undefined;
        const filter = target === undefined ? {} : target.includes(':') ? { key: target } : { coordinate: target };
        send(res, 200, inspectable!.inspect(filter));
        return;
      }
      case '/tags': {
        if (!want('GET') || !needsStore()) return;
        const tags = url.searchParams.getAll('tag');
        if (tags.length === 0) return send(res, 400, { error: 'name at least one tag: /tags?tag=Product:1' });
        const states: Record<string, { tag: string; state: 'recorded' | 'missing'; version?: number }[]> = {};
        for (const tag of tags) {
          assertValidTag(tag);
          states[tag] = ancestorsAndSelf(tag).map((t) => {
            const version = inspectable!.tagVersion(t);
            return version === undefined ? { tag: t, state: 'missing' } : { tag: t, state: 'recorded', version };
          });
        }
        send(res, 200, states);
        return;
      }
      case '/invalidate': {
        if (!want('POST')) return;
        const body = await readJson(req, maxBodyBytes);
        const tags = (body as { tags?: unknown } | undefined)?.tags;
        if (!Array.isArray(tags) || tags.length === 0) return send(res, 400, { error: 'the body must be {"tags": ["Product:1", ...]}.' });
        tags.forEach((tag) => assertValidTag(tag));
        try {
          await cache.invalidate(tags as string[]);
        } catch (error) {
          if (!isUnacknowledgedInvalidation(error)) throw error;
          return send(res, 502, { error: error.message, unacknowledged: error.tags });
        }
        send(res, 200, { invalidated: tags.length, tags });
        return;
      }
      case '/watch': {
        if (!want('GET')) return;
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(': watching invalidations\n\n');
        const stop = cache.onInvalidate((invalidation) => {
          const event = { time: new Date().toISOString(), ...invalidation };
          res.write(`data: ${JSON.stringify(event)}\n\n`);
        });
        req.on('close', stop);
        return;
      }
      default:
        send(res, 404, { error: `no admin route ${path}: /stats, /inspect, /tags, /invalidate, /watch.` });
    }
  }

  return (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let path = url.pathname;
    if (basePath) {
      if (path !== basePath && !path.startsWith(`${basePath}/`)) {
        if (next) next();
        else send(res, 404, { error: `the admin routes live under ${basePath}.` });
        return;
      }
      path = path.slice(basePath.length) || '/';
    }
    const refused = allowed(req);
    if (refused) return send(res, refused.status, { error: refused.error });
    route(req, res, url, path).catch((error: unknown) => {
      const invalidTag = (error as { code?: unknown }).code === 'INVALID_TAG';
      if (!res.headersSent) send(res, invalidTag ? 400 : 500, { error: error instanceof Error ? error.message : String(error) });
      else res.end();
    });
  };
}

/** 127.0.0.0/8 (IPv4-mapped too) and ::1: the addresses only this machine can connect from. */
function isLoopback(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`${JSON.stringify(body)}\n`);
}

async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new Error(`the body is larger than ${maxBytes} bytes.`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

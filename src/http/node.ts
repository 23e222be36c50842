/**
 * The node:http drop-in (`cachetag/http`): wraps a request listener so stored responses are answered before it runs.
 * It reads the body once (the listener then finds it parsed in `req.body`, and as bytes in `req.rawBody`), asks the
 * adapter's fast path, and otherwise calls the listener with the context it built, so a server needs no handler of
 * its own to be fast.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { adapterOf, type AdapterSource, type CacheTagAdapter, type FastPathAnswer, type FastPathOptions } from '../adapter/adapter.js';
import { invalidOption } from '../errors.js';
import { lazyContext } from '../adapter/lazyContext.js';

/** A request whose body {@link withCacheTag} has read (on its `path`). */
export interface ReadRequest extends IncomingMessage {
  /** The body parsed as JSON when the content type says JSON and it parses; otherwise undefined. */
  body?: unknown;
  /** The body as received (empty when there was none); unset on requests to other paths than `path`. */
  rawBody: Buffer;
}

/** The wrapped listener: called for every request the fast path did not answer, with the context built for it. */
export type CacheTagListener<TContext extends object> = (req: ReadRequest, res: ServerResponse, context: TContext | undefined) => unknown;

export interface NodeFastPathOptions<TContext extends object> extends FastPathOptions {
  /**
   * Builds the GraphQL context of a request; it runs before the fast path (so authentication done here still runs for
   * answers from the cache; if it throws, the request goes to the listener, which answers as it would), and the
   * listener receives it. Give the same context to your server (`context: async () => context`): a miss of the fast
   * path then spares the server's operation lookup its store call.
   */
  readonly context?: (req: ReadRequest, res: ServerResponse) => TContext | Promise<TContext>;
  /**
   * Only requests to this path (without query string) are screened; others go straight to the listener, untouched
   * (body unread, `req.body` and `req.rawBody` unset, no context). Default: all.
   */
  readonly path?: string;
  /**
   * The largest body read, in bytes. Default 50 MiB (Apollo's standalone server's limit). A larger body is answered
   * `413` with a plain-text message, without calling the listener.
   */
  readonly maxBodyBytes?: number;
}

/** The default {@link NodeFastPathOptions.maxBodyBytes}: 50 MiB, as Apollo's `startStandaloneServer`. */
export const defaultMaxBodyBytes = 50 * 1024 * 1024;

/**
 * Wraps a node:http request listener with the fast path of a cache or of the Apollo plugin (preferred: it answers for
 * its server's schema, with its tags header and debug header).
 *
 * ```ts
 * createServer(withCacheTag(plugin, async (req, res, context) => { ...apollo.executeHTTPGraphQLRequest(...) }, { context }))
 * ```
 */
export function withCacheTag<TContext extends object = object>(
  source: AdapterSource | CacheTagAdapter,
  listener: CacheTagListener<TContext>,
  options: NodeFastPathOptions<TContext> = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  if (typeof listener !== 'function') throw invalidOption('withCacheTag', 'listener', 'a function (req, res, context) => void', listener);
  const { context: contextOf, path, maxBodyBytes = defaultMaxBodyBytes, ...fastPathOptions } = options;
  if (!(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes >= 0)) throw invalidOption('withCacheTag', 'maxBodyBytes', 'a non-negative integer', maxBodyBytes);
  const adapter = 'answer' in source ? source.with(fastPathOptions) : adapterOf(source, fastPathOptions, 'withCacheTag');

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const read = req as ReadRequest;
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    // Other paths reach the listener untouched: body unread, no context.
    if (path !== undefined && (queryAt < 0 ? url : url.slice(0, queryAt)) !== path) return void (await listener(read, res, undefined));
    const rawBody = await readBody(req, maxBodyBytes);
    if (rawBody === undefined) {
      res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`The request body is larger than ${maxBodyBytes} bytes\n`);
      return;
    }
    read.rawBody = rawBody;
    read.body = parseJsonBody(req.headers['content-type'], rawBody);
    const lazy = contextOf ? lazyContext(() => contextOf(read, res)) : undefined;
    const answer = await adapter.answer(
      { method: req.method ?? 'GET', headers: req.headers, search: queryAt < 0 ? '' : url.slice(queryAt), body: read.body },
      lazy ? () => lazy.build() : undefined,
    );
    if (answer) return writeAnswer(res, answer);
    // The context built for the fast path, else built now; one that fails is the listener's to answer (undefined).
    const built = lazy ? await lazy.build() : undefined;
    const context = built === false ? undefined : built;
    await listener(read, res, context);
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  };
}

/** Writes a fast-path answer to a node:http response. */
export function writeAnswer(res: ServerResponse, answer: FastPathAnswer): void {
  // Set one by one, as servers do, so headers set earlier (CORS) stay and Node adds the Content-Length.
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.statusCode = answer.status;
  res.end(answer.body);
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length']) > maxBytes) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Drained, not destroyed: the socket stays usable for the 413.
        req.off('data', onData);
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** JSON bodies only (`application/json` or `+json`), as Apollo reads them; anything else stays unparsed. */
function parseJsonBody(contentType: string | undefined, raw: Buffer): unknown {
  if (raw.length === 0 || !contentType || !/^\s*application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType)) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

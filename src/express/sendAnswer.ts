/**
 * Writes a fast-path answer as Express 5's `res.send(buffer)` writes Apollo's answer (the headers `expressMiddleware`
 * leaves to it: `Content-Length`, the app's `ETag`, and 304 to a matching `If-None-Match`), without `res.send`'s
 * generic work. A stored response is sent again and again, so what `res.send` derives from the bytes on every call
 * (the ETag, a SHA-1 of the body) is derived once per stored body and per ETag function.
 */
import type { Request, Response } from 'express';
import type { FastPathAnswer } from '../adapter/adapter.js';

type EtagFn = (body: Buffer, encoding?: BufferEncoding) => string | undefined;

interface Derived {
  readonly buffer: Buffer;
  readonly etagFn: EtagFn | undefined;
  readonly etag: string | undefined;
}

// Keyed by the stored body bytes, which stores holding responses in memory hand out as the same object on every hit;
// a body read anew per hit (Redis) gets its own entry, collected with it.
const derivedOf = new WeakMap<Uint8Array, Derived>();

function derive(body: Uint8Array, etagFn: EtagFn | undefined): Derived {
  const known = derivedOf.get(body);
  if (known !== undefined && known.etagFn === etagFn) return known;
  const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const derived = { buffer, etagFn, etag: etagFn ? etagFn(buffer) : undefined };
  derivedOf.set(body, derived);
  return derived;
}

/** Sends `answer` on `res` exactly as `res.status(answer.status).set(answer.headers).send(buffer)` would. */
export function sendAnswer(req: Request, res: Response, answer: FastPathAnswer): void {
  res.statusCode = answer.status;
  for (const name in answer.headers) res.setHeader(name, answer.headers[name]!);
  const etagFn = req.app.get('etag fn') as unknown;
  // res.send computes an ETag only when none was set and the app's setting gives a function.
  const wantsEtag = typeof etagFn === 'function' && res.getHeader('ETag') === undefined;
  const { buffer, etag } = derive(answer.body, wantsEtag ? (etagFn as EtagFn) : undefined);
  if (res.getHeader('Transfer-Encoding') === undefined) res.setHeader('Content-Length', String(buffer.length));
  if (etag) res.setHeader('ETag', etag);
  // Express's freshness check (GET or HEAD, If-None-Match against the ETag just set): 304 with no body.
  if (req.fresh) {
    res.statusCode = 304;
    res.removeHeader('Content-Type');
    res.removeHeader('Content-Length');
    res.removeHeader('Transfer-Encoding');
    res.end();
    return;
  }
  res.end(buffer);
}

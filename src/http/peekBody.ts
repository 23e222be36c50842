/**
 * Reads a node:http request body without consuming it: the bytes are put back into the request stream, so a body
 * parser placed after the fast path (Express's `express.json()`) reads the request exactly as if nothing had, and
 * answers malformed or refused bodies as it would alone. Only bodies of a declared length within a bound are read.
 */
import type { IncomingMessage } from 'node:http';

/**
 * The body of `req`, read and put back; undefined (nothing read) when the request has no `Content-Length`, a length
 * above `maxBytes`, a `Content-Encoding` or `Transfer-Encoding`, or when something already reads its stream.
 */
export function peekBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const declared = req.headers['content-length'];
  if (declared === undefined || !/^\d+$/.test(declared) || Number(declared) > maxBytes) return Promise.resolve(undefined);
  if (req.headers['content-encoding'] !== undefined || req.headers['transfer-encoding'] !== undefined) return Promise.resolve(undefined);
  // Someone else reads it (flowing, or a listener attached), or it is gone: not ours to touch.
  if (req.readableFlowing !== null || req.readableEnded || req.destroyed) return Promise.resolve(undefined);
  const length = Number(declared);
  if (length === 0) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (body: Buffer | undefined) => {
      req.off('readable', onReadable);
      req.off('error', onError);
      req.off('end', onEnd);
      // Back before the stream ends (it cannot take bytes back after its end event).
      if (body !== undefined && body.length > 0) req.unshift(body);
      resolve(body);
    };
    // Paused mode: read() what arrived, stop at the declared length, so the stream has not ended when the bytes go back.
    const onReadable = () => {
      let chunk: Buffer | null;
      while (size < length && (chunk = req.read() as Buffer | null) !== null) {
        chunks.push(chunk);
        size += chunk.length;
      }
      if (size >= length) finish(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    // A short body (the client went away) or an error: the request is lost for everyone; nothing to answer.
    const onError = () => finish(undefined);
    const onEnd = () => finish(undefined);
    req.on('readable', onReadable);
    req.once('error', onError);
    req.once('end', onEnd);
  });
}

/**
 * An operation response as stored: `[tags, [body bytes, policy]]`, the body being the very bytes a server sends, so
 * the HTTP fast path answers with them as they are.
 */
import { CacheTagError } from '../../errors.js';
import type { Codec } from '../../codec/codec.js';
import { decodeEntry } from '../entry.js';
import type { OperationPolicy } from './types.js';

/** An operation response as stored: the tags it depends on, the exact response body, its HTTP cache policy. */
export interface StoredOperation {
  readonly tags: string[];
  readonly body: Uint8Array;
  readonly policy: OperationPolicy | null;
}

export const textDecoder = new TextDecoder();

/** The frame of a response whose data is `data`. Throws a CacheTagError when it cannot be encoded. */
export function encodeStoredOperation(codec: Codec, tags: readonly string[], data: unknown, policy: OperationPolicy | undefined): Uint8Array {
  return codec.encode([tags, [Buffer.from(`{"data":${JSON.stringify(data)}}\n`), policy ?? null]]);
}

/**
 * Reads an operation entry, `[tags, [body bytes, policy]]`. Entries written by 0.1.0 hold the JSON text of the data
 * instead of the body bytes; they are read too, so a deploy does not turn a shared Redis cold.
 */
export function decodeStoredOperation(codec: Codec, frame: Uint8Array): StoredOperation {
  const [tags, stored] = decodeEntry(codec, frame);
  if (Array.isArray(stored) && stored.length === 2 && (stored[1] === null || typeof stored[1] === 'object')) {
    const [body, policy] = stored as [unknown, OperationPolicy | null];
    if (body instanceof Uint8Array) return { tags, body, policy };
    if (typeof body === 'string') return { tags, body: Buffer.from(`{"data":${body}}\n`), policy };
  }
  throw new CacheTagError('CODEC_CORRUPT', 'A stored value is not a cachetag operation response ([tags, [body, policy]]); treated as a miss.');
}

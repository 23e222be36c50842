/** The hash of a query text that keys its stored responses: the one Apollo Server computes, so both entry points agree. */
import { hash as cryptoHash } from 'node:crypto';
import { memoizeString } from '../memo.js';

/** The hash Apollo Server computes of a query text (`queryHash`), so both entry points find the same stored response. */
export function queryHash(query: string): string {
  return cryptoHash('sha256', query, 'hex');
}

/**
 * {@link queryHash}, remembered for the query texts a server sees again and again (clients send the same few
 * documents with other variables), so the HTTP fast path hashes each text once, not once per request.
 */
export const memoizedQueryHash = memoizeString(queryHash, 512, 16 * 1024);

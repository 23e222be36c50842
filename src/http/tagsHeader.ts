/**
 * The CDN tags header (`Surrogate-Key`, `Cache-Tag`): tags as header-safe tokens. Tag values come from user data (an
 * id such as `€` or `a b`), and a header may carry neither non-ASCII characters (Node refuses to send the response)
 * nor the separators CDNs split on (space for Fastly, comma for Cloudflare), so every tag is percent-encoded the same
 * way wherever it reaches a CDN: in the header, and in the purge requests made on invalidation.
 */
import { expandTags } from '../tags/hierarchy.js';

const SAFE = /^[A-Za-z0-9\-._~:]*$/;
const SAFE_BYTE = new Uint8Array(256);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:') SAFE_BYTE[char.charCodeAt(0)] = 1;

/**
 * A tag as it appears in a tags header, and as a CDN purge must name it: every UTF-8 byte outside `A-Z a-z 0-9 - . _ ~
 * :` percent-encoded as `%XX` (upper-case hex), including space, comma and `%` itself, so the encoding is reversible
 * (`decodeURIComponent` gives the tag back) and distinct tags stay distinct. `Product:42` is unchanged; `Product:a b`
 * becomes `Product:a%20b`, `Product:€` becomes `Product:%E2%82%AC`.
 */
export function encodeTagForHeader(tag: string): string {
  if (SAFE.test(tag)) return tag;
  let out = '';
  for (const byte of Buffer.from(tag, 'utf8')) {
    out += SAFE_BYTE[byte] ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Headers whose CDN splits the list on commas: Cloudflare's `Cache-Tag` and Akamai's `Edge-Cache-Tag`. */
const COMMA_SEPARATED = new Set(['cache-tag', 'edge-cache-tag']);

/**
 * How a CDN splits the tags header named `headerName`: on commas for `Cache-Tag` (Cloudflare) and `Edge-Cache-Tag`
 * (Akamai), on spaces otherwise (`Surrogate-Key`, Fastly's, and any other name). Cloudflare reads a space as part of
 * a tag, so a space-separated `Cache-Tag` would be one long tag that no purge matches.
 */
export function tagsHeaderSeparator(headerName?: string): ',' | ' ' {
  return headerName !== undefined && COMMA_SEPARATED.has(headerName.toLowerCase()) ? ',' : ' ';
}

/**
 * The value of a tags header for a response that depends on `tags`: each tag and its ancestors (`Store:1:products`
 * brings `Store` and `Store:1`, so a purge by `Store:1`, by a type name or by a fallback prefix matches, as an
 * invalidation of those tags does), each encoded with {@link encodeTagForHeader}, separated as the CDN reading
 * `headerName` splits them ({@link tagsHeaderSeparator}: commas for `Cache-Tag`, spaces for `Surrogate-Key` and
 * by default).
 */
export function tagsHeaderValue(tags: Iterable<string>, headerName?: string): string {
  return expandTags(tags).map(encodeTagForHeader).join(tagsHeaderSeparator(headerName));
}

/**
 * Forwards invalidations to Cloudflare: a purge by cache tag (`POST /client/v4/zones/{zone}/purge_cache` with
 * `{ "tags": [...] }`, at most 100 tags per call, authenticated by a Bearer API token). Tags are written as the tags
 * header writes them (`encodeTagForHeader`), so a purge names exactly the tags the responses were stored under. A
 * `200` whose body says `"success": false` is a failure too.
 */
import { CacheTagError, invalidOption } from '../errors.js';
import type { InvalidationListener } from '../engine/invalidationDelivery.js';
import { encodeTagForHeader } from '../http/tagsHeader.js';
import { chunks, postJson, stringOption, urlOption } from './post.js';

/** Cloudflare's API. */
export const defaultCloudflareBaseUrl = 'https://api.cloudflare.com';
/** Cloudflare purges at most 100 tags per call. */
const MAX_TAGS_PER_CALL = 100;

export interface CloudflarePurgeOptions {
  /** The zone id. */
  zoneId: string;
  /** An API token with the Cache Purge permission, sent as `Authorization: Bearer <token>`. */
  apiToken: string;
  /** The API's base URL. Default {@link defaultCloudflareBaseUrl}. */
  baseUrl?: string;
}

/** An `onInvalidate` listener that purges the invalidated tags from a Cloudflare zone. */
export function cloudflarePurge(options: CloudflarePurgeOptions): InvalidationListener {
  const factory = 'cloudflarePurge';
  if (options === null || typeof options !== 'object') throw invalidOption(factory, 'options', 'an object', options);
  const zoneId = stringOption(factory, 'zoneId', options.zoneId);
  const apiToken = stringOption(factory, 'apiToken', options.apiToken);
  const baseUrl = urlOption(factory, 'baseUrl', options.baseUrl ?? defaultCloudflareBaseUrl);
  const url = `${baseUrl}/client/v4/zones/${encodeURIComponent(zoneId)}/purge_cache`;
  return async function cloudflare(invalidation, signal) {
    for (const tags of chunks([...new Set(invalidation.tags.map(encodeTagForHeader))], MAX_TAGS_PER_CALL)) {
      const answer = (await postJson(url, { authorization: `Bearer ${apiToken}` }, { tags }, signal, `Cloudflare's purge API (${url})`)) as
        { success?: unknown; errors?: unknown } | undefined;
      if (answer?.success !== true) {
        throw new CacheTagError(
          'INVALIDATION_FORWARD_FAILED',
          `Cloudflare's purge API (${url}) did not report success: ${JSON.stringify(answer?.errors ?? answer)}`,
        );
      }
    }
  };
}

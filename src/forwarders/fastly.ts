/**
 * Forwards invalidations to Fastly: a surrogate-key purge of the service (`POST /service/{id}/purge` with
 * `{ "surrogate_keys": [...] }`, at most 256 keys per call, authenticated by `Fastly-Key`). Keys are the tags as the
 * tags header writes them (`encodeTagForHeader`), so a purge names exactly the keys the responses were stored under.
 */
import { invalidOption } from '../errors.js';
import type { InvalidationListener } from '../engine/invalidationDelivery.js';
import { encodeTagForHeader } from '../http/tagsHeader.js';
import { chunks, postJson, stringOption, urlOption } from './post.js';

/** Fastly's API. */
export const defaultFastlyBaseUrl = 'https://api.fastly.com';
/** Fastly purges at most 256 surrogate keys per call. */
const MAX_KEYS_PER_CALL = 256;

export interface FastlyPurgeOptions {
  /** The Fastly service id. */
  serviceId: string;
  /** An API token with the `purge_select` scope, sent as `Fastly-Key`. */
  apiKey: string;
  /** Soft purge (`Fastly-Soft-Purge: 1`): mark stale instead of removing, so stale-while-revalidate still applies. Default false. */
  soft?: boolean;
  /** The API's base URL. Default {@link defaultFastlyBaseUrl}. */
  baseUrl?: string;
}

/** An `onInvalidate` listener that purges the invalidated tags' surrogate keys from a Fastly service. */
export function fastlyPurge(options: FastlyPurgeOptions): InvalidationListener {
  const factory = 'fastlyPurge';
  if (options === null || typeof options !== 'object') throw invalidOption(factory, 'options', 'an object', options);
  const serviceId = stringOption(factory, 'serviceId', options.serviceId);
  const apiKey = stringOption(factory, 'apiKey', options.apiKey);
  const baseUrl = urlOption(factory, 'baseUrl', options.baseUrl ?? defaultFastlyBaseUrl);
  if (options.soft !== undefined && typeof options.soft !== 'boolean') throw invalidOption(factory, 'soft', 'true or false', options.soft);
  const url = `${baseUrl}/service/${encodeURIComponent(serviceId)}/purge`;
  const headers: Record<string, string> = { 'fastly-key': apiKey, accept: 'application/json', ...(options.soft ? { 'fastly-soft-purge': '1' } : {}) };
  return async function fastly(invalidation, signal) {
    for (const keys of chunks([...new Set(invalidation.tags.map(encodeTagForHeader))], MAX_KEYS_PER_CALL)) {
      await postJson(url, headers, { surrogate_keys: keys }, signal, `Fastly's purge API (${url})`);
    }
  };
}

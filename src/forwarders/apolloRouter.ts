/**
 * Forwards invalidations to Apollo Router's response cache, through its invalidation endpoint: one POST of
 * `[{ "kind": "cache_tag", "subgraphs": [...], "cache_tag": "<tag>" }, ...]` with the shared key as the
 * `Authorization` header (the router answers 202 with `{ "count": n }`). The router matches cache tags exactly, and
 * computes them from the same Federation `@cacheTag` formats cachetag reads, so a tag cachetag invalidates is the tag
 * the router stored its entries under.
 */
import { invalidOption } from '../errors.js';
import type { InvalidationListener } from '../engine/invalidationDelivery.js';
import { postJson, stringOption, urlOption } from './post.js';

export interface ApolloRouterInvalidationOptions {
  /**
   * The router's invalidation endpoint: its `response_cache.invalidation.listen` address and `path`, such as
   * `http://router.internal:4000/invalidation`.
   */
  url: string;
  /** The `shared_key` configured for these subgraphs' invalidation in the router, sent as the `Authorization` header. */
  sharedKey: string;
  /** The names (as the supergraph knows them) of the subgraphs whose cached responses carry these tags. */
  subgraphs: readonly string[];
}

/** An `onInvalidate` listener that invalidates the same tags in Apollo Router's response cache. */
export function apolloRouterInvalidation(options: ApolloRouterInvalidationOptions): InvalidationListener {
  const factory = 'apolloRouterInvalidation';
  if (options === null || typeof options !== 'object') throw invalidOption(factory, 'options', 'an object', options);
  const url = urlOption(factory, 'url', options.url);
  const sharedKey = stringOption(factory, 'sharedKey', options.sharedKey);
  const subgraphs = options.subgraphs;
  if (!Array.isArray(subgraphs) || subgraphs.length === 0 || !subgraphs.every((s) => typeof s === 'string' && s.length > 0)) {
    throw invalidOption(factory, 'subgraphs', 'a non-empty array of subgraph names', subgraphs);
  }
  const names = [...subgraphs] as string[];
  return async function apolloRouter(invalidation, signal) {
    const body = invalidation.tags.map((tag) => ({ kind: 'cache_tag', subgraphs: names, cache_tag: tag }));
    await postJson(url, { authorization: sharedKey }, body, signal, `Apollo Router's invalidation endpoint (${url})`);
  };
}

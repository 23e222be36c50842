/**
 * The federated graph, in one process: the products and reviews subgraphs, each an Apollo Server 5 with the cachetag
 * plugin on 127.0.0.1, and an Apollo Gateway composing them with IntrospectAndCompose. Both subgraphs' caches share
 * one store (the recommended setup: tags are global, keys carry each subgraph's schema hash), so an invalidation in
 * one subgraph reaches what the other cached about the same entity.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, IntrospectAndCompose } from '@apollo/gateway';
import { createCache, createMemoryStore, type Cache, type CacheOptions, type Store } from '../../src/index.js';
import { createApolloPlugin } from '../../src/apollo/index.js';
import { createProductsSchema, defaultProducts, type ProductsCalls } from './products.js';
import { createReviewsSchema, defaultReviews, type ReviewsCalls } from './reviews.js';

export interface FederatedGraphOptions {
  /** The store both subgraphs' caches share. Default: one memory store. */
  store?: Store;
  /** Options for each subgraph's cache (`onInvalidate` forwarders, a logger...), by subgraph name. */
  cache?: { products?: Partial<CacheOptions>; reviews?: Partial<CacheOptions> };
  /** Give each subgraph its own memory store instead of sharing one. */
  separateStores?: boolean;
  /** The gateway's port. Default 0 (any free port). */
  port?: number;
  host?: string;
}

export interface FederatedGraph {
  /** The gateway's GraphQL URL. */
  url: string;
  subgraphs: { products: { url: string; cache: Cache; calls: ProductsCalls }; reviews: { url: string; cache: Cache; calls: ReviewsCalls } };
  /** Runs an operation through the gateway over HTTP. */
  query(query: string, variables?: Record<string, unknown>): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }>;
  /** Waits until both caches wrote their fills and made their `onInvalidate` deliveries. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startFederatedGraph(options: FederatedGraphOptions = {}): Promise<FederatedGraph> {
  const host = options.host ?? '127.0.0.1';
  const shared = options.store ?? createMemoryStore();
  const productsCalls: ProductsCalls = { topProducts: 0, resolveReference: [] };
  const reviewsCalls: ReviewsCalls = { latestReviews: 0, reviewsOf: [] };
  const productsCache = createCache({ store: options.separateStores ? createMemoryStore() : shared, ...options.cache?.products });
  const reviewsCache = createCache({ store: options.separateStores ? createMemoryStore() : shared, ...options.cache?.reviews });
  const products = new ApolloServer({
    schema: createProductsSchema(defaultProducts(), productsCalls),
    plugins: [createApolloPlugin(productsCache), ApolloServerPluginInlineTraceDisabled()],
  });
  const reviews = new ApolloServer({
    schema: createReviewsSchema(defaultReviews(), reviewsCalls),
    plugins: [createApolloPlugin(reviewsCache), ApolloServerPluginInlineTraceDisabled()],
  });
  const { url: productsUrl } = await startStandaloneServer(products, { listen: { port: 0, host } });
  const { url: reviewsUrl } = await startStandaloneServer(reviews, { listen: { port: 0, host } });
  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({
      subgraphs: [
        { name: 'products', url: productsUrl },
        { name: 'reviews', url: reviewsUrl },
      ],
    }),
  });
  const router = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(router, { listen: { port: options.port ?? 0, host } });
  return {
    url,
    subgraphs: {
      products: { url: productsUrl, cache: productsCache, calls: productsCalls },
      reviews: { url: reviewsUrl, cache: reviewsCache, calls: reviewsCalls },
    },
    async query(query, variables) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
      });
      return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    },
    async idle() {
      await Promise.all([productsCache.idle(), reviewsCache.idle()]);
    },
    async stop() {
      await router.stop();
      await products.stop();
      await reviews.stop();
      // A store given by the caller is the caller's to close.
      if (options.store) await Promise.all([productsCache.idle(), reviewsCache.idle()]);
      else await Promise.all([productsCache.close(), reviewsCache.close()]);
    },
  };
}

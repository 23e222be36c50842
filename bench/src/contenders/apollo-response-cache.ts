/**
 * Apollo Server with @apollo/server-plugin-response-cache in memory, as its
 * docs set it up: `@cacheControl` hints in the SDL, the plugin with defaults,
 * the server's default bounded in-memory cache (InMemoryLRUCache).
 *
 * It has no invalidation: a cached response lives until its maxAge runs out,
 * whatever mutations happen. The mixed workload's stale reads show that.
 */
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { peerDirectiveTypeDefs, typeDefs, type BenchContext } from '../schema.js';
import { serveApollo } from './shared/apollo.js';
import { createContenderRuntime } from './shared/serve.js';

const runtime = createContenderRuntime('apollo-response-cache');
await serveApollo(runtime, { typeDefs: [peerDirectiveTypeDefs, typeDefs], plugins: [responseCachePlugin<BenchContext>()] });

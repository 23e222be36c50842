/** Yoga + envelop's response cache in process memory (LRU, bounded to 10,000 responses like cachetag's default). */
import { createInMemoryCache } from '@graphql-yoga/plugin-response-cache';
import { createContenderRuntime } from './shared/serve.js';
import { serveYoga } from './shared/yoga.js';

const runtime = createContenderRuntime('yoga-envelop-memory');
await serveYoga(runtime, { cache: createInMemoryCache({ max: 10_000 }) });

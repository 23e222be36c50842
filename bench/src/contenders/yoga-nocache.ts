/** GraphQL Yoga without any cache: what Yoga itself costs per request, beside the baseline Apollo Server. */
import { createContenderRuntime } from './shared/serve.js';
import { serveYoga } from './shared/yoga.js';

await serveYoga(createContenderRuntime('yoga-nocache'), { cache: undefined });

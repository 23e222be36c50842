/** cachetag through the standalone drop-in, as a user sets it up (see shared/cachetagDropins.ts). */
import { assertOneGraphql, useOneGraphql } from './shared/oneGraphql.js';
import { createContenderRuntime } from './shared/serve.js';

useOneGraphql();
await assertOneGraphql();
const { serveDropin } = await import('./shared/cachetagDropins.js');
await serveDropin(createContenderRuntime('cachetag-standalone'), 'standalone');

/** Apollo Server + cachetag on its Redis store with the in-process tier in fast mode (`local: { mode: 'fast' }`). */
import { assertOneGraphql, useOneGraphql } from './shared/oneGraphql.js';
import { createContenderRuntime } from './shared/serve.js';

useOneGraphql();
await assertOneGraphql();
const { serveCachetag } = await import('./shared/cachetag.js');
await serveCachetag(createContenderRuntime('cachetag-redis-local-fast'), 'redis-fast');

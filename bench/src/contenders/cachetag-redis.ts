/** Apollo Server + cachetag on its Redis store, under a key prefix unique to the run. */
import { assertOneGraphql, useOneGraphql } from './shared/oneGraphql.js';
import { createContenderRuntime } from './shared/serve.js';

useOneGraphql();
await assertOneGraphql();
const { serveCachetag } = await import('./shared/cachetag.js');
await serveCachetag(createContenderRuntime('cachetag-redis'), 'redis');

/** Apollo Server + cachetag on its bounded in-memory store (library defaults). */
import { assertOneGraphql, useOneGraphql } from './shared/oneGraphql.js';
import { createContenderRuntime } from './shared/serve.js';

useOneGraphql();
await assertOneGraphql();
const { serveCachetag } = await import('./shared/cachetag.js');
await serveCachetag(createContenderRuntime('cachetag-memory'), 'memory');

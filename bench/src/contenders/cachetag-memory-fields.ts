/** cachetag-memory with the field tier only (operationCache: false, no fast path). */
import { assertOneGraphql, useOneGraphql } from './shared/oneGraphql.js';
import { createContenderRuntime } from './shared/serve.js';

useOneGraphql();
await assertOneGraphql();
const { serveCachetag } = await import('./shared/cachetag.js');
await serveCachetag(createContenderRuntime('cachetag-memory-fields'), 'memory', 'fields');

/** cachetag-memory with both tiers, every request through Apollo (no HTTP fast path). */
import { assertOneGraphql, useOneGraphql } from './shared/oneGraphql.js';
import { createContenderRuntime } from './shared/serve.js';

useOneGraphql();
await assertOneGraphql();
const { serveCachetag } = await import('./shared/cachetag.js');
await serveCachetag(createContenderRuntime('cachetag-memory-apollo'), 'memory', 'apollo');

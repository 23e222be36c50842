/** cachetag-standalone with `cacheControl: 'cachetag'` (Apollo's per-field cache-control hook disabled); see registry.ts. */
import { assertOneGraphql, useOneGraphql } from './shared/oneGraphql.js';
import { createContenderRuntime } from './shared/serve.js';

useOneGraphql();
await assertOneGraphql();
const { serveDropin } = await import('./shared/cachetagDropins.js');
await serveDropin(createContenderRuntime('cachetag-standalone-cc'), 'standalone', { cacheControl: 'cachetag' });

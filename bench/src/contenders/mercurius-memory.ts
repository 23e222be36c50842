/** Mercurius + mercurius-cache in memory, with reference invalidation (10,000 entries per resolver). */
import { createContenderRuntime } from './shared/serve.js';
import { serveMercurius } from './shared/mercurius.js';

const runtime = createContenderRuntime('mercurius-memory');
await serveMercurius(runtime, { storage: { type: 'memory', options: { size: 10_000, invalidation: true } } });

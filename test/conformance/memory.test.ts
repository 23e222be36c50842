import { createMemoryStore } from '../../src/stores/memory.js';
import { runStoreConformance } from '../../src/testing/index.js';

runStoreConformance('memory store', async () => createMemoryStore());

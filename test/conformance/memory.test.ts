import { createMemoryStore } from '../../src/stores/memory.js';
import { runStoreConformance } from './storeConformance.js';

runStoreConformance('memory store', async () => createMemoryStore());

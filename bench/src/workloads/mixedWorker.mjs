// Entry of a mixed-workload client worker: loads the TypeScript module through tsx's API
// (a worker does not inherit the parent's tsx loader hooks on Node 20).
import { tsImport } from 'tsx/esm/api';

await tsImport('./mixedWorker.ts', import.meta.url);

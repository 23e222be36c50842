/** A client worker thread of the mixed workload: runs its share of the loops and posts what it measured. */
import { parentPort, workerData } from 'node:worker_threads';
import { runLoops } from './mixed.js';
import type { WorkloadOptions } from './types.js';

const { options, indexes, loops } = workerData as { options: WorkloadOptions; indexes: number[]; loops: number };
const result = await runLoops(options, indexes, loops);
parentPort!.postMessage(result, [result.latencies.buffer as ArrayBuffer]);

/**
 * Child-process entry of the shared data server (scaling/instances.ts starts it): `--port N`, latency from
 * BENCH_LATENCY_MS; answers `GET /stats` once ready and exits on SIGTERM or when its parent goes away.
 */
import { parseArgs } from 'node:util';
import { exitCleanlyOnShutdown } from '../contenders/shared/serve.js';
import { latencyMsFromEnv } from '../dataSource.js';
import { startDataServer } from './dataServer.js';

const { values } = parseArgs({ options: { port: { type: 'string' } }, strict: false });
const server = await startDataServer({ latencyMs: latencyMsFromEnv(), port: Number(values.port) });
exitCleanlyOnShutdown(() => server.close());
console.log(`data server listening on ${server.baseUrl}`);

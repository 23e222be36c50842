/**
 * One bench data source served over loopback HTTP (protocol.ts): its simulated latency and its call counters stay
 * here, so contender processes that use it through remoteDataSource.ts see each other's writes and the driver reads
 * the backend work of all of them in one place.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, sendJson } from '../contenders/shared/serve.js';
import { createDataSource, type DataSource, type DataSourceOptions, type DataSourceStats } from '../dataSource.js';
import { isRemoteMethod, type RemoteCall } from './protocol.js';

export interface DataServer {
  readonly baseUrl: string;
  readonly dataSource: DataSource;
  close(): Promise<void>;
}

/** Starts a data server on 127.0.0.1 (`port` 0: any free port). */
export async function startDataServer(options: DataSourceOptions & { port?: number } = {}): Promise<DataServer> {
  const dataSource = createDataSource(options);
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/stats' && request.method === 'GET') return sendJson(response, 200, statsOf(dataSource));
    if (path === '/reset-stats' && request.method === 'POST') {
      dataSource.resetStats();
      return sendJson(response, 200, statsOf(dataSource));
    }
    if (path !== '/call' || request.method !== 'POST') return sendJson(response, 404, { error: `no route ${request.method} ${path}` });
    readBody(request)
      .then(async (text) => {
        const call = JSON.parse(text) as Partial<RemoteCall>;
        if (!isRemoteMethod(call.method) || !Array.isArray(call.args)) {
          return sendJson(response, 400, { error: `unknown data-source call ${JSON.stringify(call.method)}` });
        }
        const method = dataSource[call.method] as (...args: unknown[]) => Promise<unknown>;
        sendJson(response, 200, { result: await method(...call.args) });
      })
      .catch((error: unknown) => sendJson(response, 500, { error: String(error) }));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    dataSource,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function statsOf(dataSource: DataSource): DataSourceStats {
  return { calls: dataSource.stats.calls, keys: dataSource.stats.keys };
}

/**
 * A {@link DataSource} whose data lives in a shared data server (dataServer.ts), for contender processes behind a
 * balancer (serve.ts uses it when BENCH_DATA_URL is set). One keep-alive undici Pool per process; answers are
 * frozen like the local source's records, so a cache keeping a reference cannot see a write it was not told about.
 * Its own `stats` count the calls this process made; the server's count those of every process.
 */
import { Pool } from 'undici';
import { defaultDataSetShape, type DataSetShape, type DataSource, type DataSourceStats } from '../dataSource.js';
import type { RemoteMethod } from './protocol.js';

export interface RemoteDataSource extends DataSource {
  close(): Promise<void>;
}

/** A client of the data server at `baseUrl` (`http://127.0.0.1:PORT`), whose data has `shape`. */
export function createRemoteDataSource(baseUrl: string, shape: DataSetShape = defaultDataSetShape): RemoteDataSource {
  const pool = new Pool(baseUrl, { connections: 64, pipelining: 1, keepAliveTimeout: 60_000 });
  const stats: DataSourceStats = { calls: 0, keys: 0 };

  async function call<T>(method: RemoteMethod, keys: number, ...args: unknown[]): Promise<T> {
    stats.calls++;
    stats.keys += keys;
    const response = await pool.request({ path: '/call', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method, args }) });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`data server: ${method} answered ${response.statusCode} ${text}`);
    return deepFreeze((JSON.parse(text) as { result: T }).result);
  }

  return {
    shape,
    stats,
    resetStats() {
      stats.calls = 0;
      stats.keys = 0;
    },
    organizationsById: (ids) => call('organizationsById', ids.length, ids),
    storesById: (ids) => call('storesById', ids.length, ids),
    storesByOrganization: (ids) => call('storesByOrganization', ids.length, ids),
    productsById: (ids) => call('productsById', ids.length, ids),
    productsByStore: (queries) => call('productsByStore', queries.length, queries),
    reviewsByProduct: (ids) => call('reviewsByProduct', ids.length, ids),
    updateProduct: (id, input) => call('updateProduct', 1, id, input),
    createReview: (productId, input) => call('createReview', 1, productId, input),
    close: () => pool.close(),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

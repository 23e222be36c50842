/**
 * The loopback protocol between a shared data server (dataServer.ts) and its clients (remoteDataSource.ts), so
 * that several contender processes read and write one copy of the bench data, as servers behind a balancer share
 * one database: `POST /call` with `{ "method": name, "args": [...] }` answers `{ "result": ... }` (records as plain
 * JSON); `GET /stats` and `POST /reset-stats` answer the server's {@link DataSourceStats}.
 */
import type { DataSource } from '../dataSource.js';

/** The data-source methods a client may call, each one round trip of the server's simulated latency. */
export const remoteMethods = [
  'organizationsById',
  'storesById',
  'storesByOrganization',
  'productsById',
  'productsByStore',
  'reviewsByProduct',
  'updateProduct',
  'createReview',
] as const satisfies readonly (keyof DataSource)[];

export type RemoteMethod = (typeof remoteMethods)[number];

export interface RemoteCall {
  readonly method: RemoteMethod;
  readonly args: readonly unknown[];
}

export function isRemoteMethod(name: unknown): name is RemoteMethod {
  return typeof name === 'string' && (remoteMethods as readonly string[]).includes(name);
}

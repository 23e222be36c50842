/**
 * The Redis store of a child process of the instance tests (coldKeyChild.ts, coldOperationChild.ts), from the argv
 * they share: port prefix leases(0|1) local(none|strict|fast) concurrency. Deadlines are long, since a loaded machine
 * must not make Redis read as gone.
 */
import { Redis } from 'ioredis';
import { createRedisStore, type RedisStore } from '../../../src/stores/redis/index.js';

export interface ChildArgs {
  readonly store: RedisStore;
  readonly concurrency: number;
}

/** Opens the store named by the child's argv and waits for its connection; `leaseWaitMs` when leases are on. */
export async function openChildStore(leaseWaitMs: number): Promise<ChildArgs> {
  const [port, prefix, leases, local, concurrency] = process.argv.slice(2) as [string, string, string, string, string];
  const store = createRedisStore({
    client: new Redis({ host: '127.0.0.1', port: Number(port), lazyConnect: true }),
    prefix,
    readTimeoutMs: 2000,
    writeTimeoutMs: 2000,
    // A loaded machine may starve a socket for a second: that must not read as Redis gone.
    socketTimeoutMs: 10_000,
    ...(leases === '1' ? { leases: { waitMs: leaseWaitMs } } : {}),
    ...(local === 'none' ? {} : { local: { mode: local as 'strict' | 'fast' } }),
  });
  if (!(await store.whenConnected())) throw new Error('child store did not connect');
  return { store, concurrency: Number(concurrency) };
}

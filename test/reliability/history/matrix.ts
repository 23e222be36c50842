/**
 * The history checker's matrix: which store, how many server processes, which tier, and how many operations, for
 * the CI run and the long run. Backends (a private redis-server, a private 3-primary cluster) are started here.
 */
import { startRedisServer } from '../../helpers/redis.js';
import { startRedisCluster } from '../../helpers/redisCluster.js';
import { runHistory, type HistoryResult } from './history.js';

export type Backend = 'memory' | 'redis' | 'cluster';

export interface HistoryCase {
  backend: Backend;
  processes: number;
  /** `operation`: both tiers and the HTTP fast path; `field`: the field tier only. */
  mode: 'operation' | 'field';
  operations: number;
  /** Keep the Redis store's default deadlines (50 ms reads, 250 ms writes) and overload the machine: the degraded mode. */
  overloaded?: boolean;
}

export function historyCases(long: boolean): HistoryCase[] {
  const n = (ci: number, full: number) => (long ? full : ci);
  return [
    { backend: 'memory', processes: 1, mode: 'operation', operations: n(700, 10_000) },
    { backend: 'memory', processes: 1, mode: 'field', operations: n(400, 5_000) },
    { backend: 'redis', processes: 2, mode: 'operation', operations: n(700, 10_000) },
    { backend: 'redis', processes: 2, mode: 'field', operations: n(400, 5_000) },
    ...(long ? [{ backend: 'redis', processes: 4, mode: 'operation', operations: 10_000 } as const] : []),
    { backend: 'cluster', processes: 2, mode: 'operation', operations: n(500, 5_000) },
    ...(long ? [{ backend: 'cluster', processes: 4, mode: 'field', operations: 5_000 } as const] : []),
    ...(long ? [{ backend: 'redis', processes: 2, mode: 'field', operations: 5_000, overloaded: true } as const] : []),
  ];
}

export const caseLabel = (c: HistoryCase): string =>
  `${c.backend === 'memory' ? 'memory store' : c.backend === 'redis' ? 'Redis' : 'Redis Cluster (3 primaries)'} ×${c.processes}, ${c.mode === 'operation' ? 'operation tier + fast path' : 'field tier only'}${c.overloaded ? ', default deadlines, 48 requests in flight on 2 cores (degraded mode)' : ''}`;

export async function runHistoryCase(c: HistoryCase, seed = 1): Promise<HistoryResult> {
  const env: Record<string, string> = c.mode === 'field' ? { OPERATION_CACHE: '0', FAST_PATH: '0' } : {};
  env.REDIS_PREFIX = `ct-history-${process.pid}-${seed}`;
  // Deadlines far above any loopback round trip, so a loaded machine measures consistency, not the deadline mode.
  if (!c.overloaded) {
    env.READ_TIMEOUT_MS = '2000';
    env.WRITE_TIMEOUT_MS = '5000';
  }
  const concurrency = c.overloaded ? 48 : 16;
  if (c.backend === 'memory') return runHistory({ label: caseLabel(c), env, processes: c.processes, operations: c.operations, seed, concurrency });
  if (c.backend === 'redis') {
    const redis = await startRedisServer();
    try {
      return await runHistory({
        label: caseLabel(c),
        env: { ...env, REDIS_URL: `redis://127.0.0.1:${redis.port}` },
        processes: c.processes,
        operations: c.operations,
        seed,
        concurrency,
      });
    } finally {
      await redis.stop();
    }
  }
  const cluster = await startRedisCluster(3);
  try {
    const nodes = cluster.nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
    return await runHistory({
      label: caseLabel(c),
      env: { ...env, REDIS_CLUSTER: nodes },
      processes: c.processes,
      operations: c.operations,
      seed,
      concurrency,
    });
  } finally {
    await cluster.stop();
  }
}

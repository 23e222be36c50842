/**
 * The history checker's matrix: which store, how many server processes, which tier, and how many operations, for
 * the CI run and the long run. Backends (a private redis-server, a private 3-primary cluster) are started here.
 */
import { startRedisServer } from '../../helpers/redis.js';
import { startRedisCluster } from '../../helpers/redisCluster.js';
import { runHistory, type HistoryResult } from './history.js';
import type { IntegrationKind } from './integrations.js';
import { testDatabaseUrl } from '../../helpers/postgres.js';
import pg from 'pg';

export type Backend = 'memory' | 'redis' | 'cluster';

export interface HistoryCase {
  backend: Backend;
  processes: number;
  /** `operation`: both tiers and the HTTP fast path; `field`: the field tier only. */
  mode: 'operation' | 'field';
  operations: number;
  /** Keep the Redis store's default deadlines (50 ms reads, 250 ms writes) and overload the machine: the degraded mode. */
  overloaded?: boolean;
  /** The Redis store's in-process tier. */
  local?: 'strict' | 'fast';
  /** Served through this drop-in instead of the checker's own node:http server. */
  server?: IntegrationKind;
  /** Mutations in PostgreSQL transactions, invalidating through the outbox: answered after its relay, or right after the commit. */
  outbox?: 'relay' | 'commit';
}

/**
 * The stated staleness bound of a bounded mode, in milliseconds from the acknowledgement (undefined: zero stale).
 * Fast tier: a lost broadcast is seen by the next idle poll (`pollMs`, 250 ms) and a gap not filled within `gapMs`
 * (100 ms) flushes the tier. Outbox answered at commit: the started relay delivers on the commit's NOTIFY, or at the
 * latest on its next poll (200 ms here) plus one delivery within the invalidation deadline (2 s).
 */
export function staleBoundMs(c: HistoryCase): number | undefined {
  if (c.local === 'fast') return 250 + 100;
  if (c.outbox === 'commit') return 200 + 2000;
  return undefined;
}

/**
 * The rows and their sizes. CI sizes (`npm test`) check that every row still holds, with a few hundred operations
 * (every kind of read and write, interleaved 16 at a time; the self-test sees a dropped invalidation within 300);
 * the published figures come from the long sizes.
 */
export function historyCases(long: boolean): HistoryCase[] {
  const n = (ci: number, full: number) => (long ? full : ci);
  return [
    { backend: 'memory', processes: 1, mode: 'operation', operations: n(300, 10_000) },
    { backend: 'memory', processes: 1, mode: 'field', operations: n(200, 5_000) },
    { backend: 'redis', processes: 2, mode: 'operation', operations: n(300, 10_000) },
    { backend: 'redis', processes: 2, mode: 'field', operations: n(200, 5_000) },
    ...(long ? [{ backend: 'redis', processes: 4, mode: 'operation', operations: 10_000 } as const] : []),
    { backend: 'cluster', processes: 2, mode: 'operation', operations: n(250, 5_000) },
    ...(long ? [{ backend: 'cluster', processes: 4, mode: 'field', operations: 5_000 } as const] : []),
    ...(long ? [{ backend: 'redis', processes: 2, mode: 'field', operations: 5_000, overloaded: true } as const] : []),
    { backend: 'redis', processes: 2, mode: 'operation', operations: n(200, 5_000), local: 'strict' },
    { backend: 'redis', processes: 2, mode: 'operation', operations: n(200, 5_000), local: 'fast' },
    { backend: 'redis', processes: 2, mode: 'operation', operations: n(200, 3_000), outbox: 'relay' },
    { backend: 'redis', processes: 2, mode: 'operation', operations: n(200, 3_000), outbox: 'commit' },
    { backend: 'redis', processes: 2, mode: 'operation', operations: n(200, 3_000), server: 'standalone' },
    { backend: 'redis', processes: 2, mode: 'operation', operations: n(200, 3_000), server: 'express' },
    { backend: 'memory', processes: 1, mode: 'operation', operations: n(200, 3_000), server: 'fastify' },
    { backend: 'redis', processes: 2, mode: 'operation', operations: n(200, 3_000), server: 'yoga' },
  ];
}

export const caseLabel = (c: HistoryCase): string =>
  [
    `${c.backend === 'memory' ? 'memory store' : c.backend === 'redis' ? 'Redis' : 'Redis Cluster (3 primaries)'} ×${c.processes}`,
    c.mode === 'operation' ? 'operation tier + fast path' : 'field tier only',
    ...(c.local ? [`in-process tier, ${c.local} mode`] : []),
    ...(c.outbox ? [`PostgreSQL outbox, ${c.outbox === 'relay' ? 'answered after its relay' : 'answered at commit'}`] : []),
    ...(c.server ? [`through the ${c.server} drop-in`] : []),
    ...(c.overloaded ? ['default deadlines, 48 requests in flight on 2 cores (degraded mode)'] : []),
  ].join(', ');

export async function runHistoryCase(c: HistoryCase, seed = 1): Promise<HistoryResult> {
  const env: Record<string, string> = c.mode === 'field' ? { OPERATION_CACHE: '0', FAST_PATH: '0' } : {};
  env.REDIS_PREFIX = `ct-history-${process.pid}-${seed}`;
  // Deadlines far above any loopback round trip, so a loaded machine measures consistency, not the deadline mode.
  if (!c.overloaded) {
    env.READ_TIMEOUT_MS = '2000';
    env.WRITE_TIMEOUT_MS = '5000';
    env.INVALIDATE_TIMEOUT_MS = '5000';
  }
  if (c.local) env.LOCAL_TIER = c.local;
  if (c.server) env.SERVER_KIND = c.server;
  const run = (backendEnv: Record<string, string>) =>
    runHistory({
      label: caseLabel(c),
      env: { ...env, ...backendEnv },
      processes: c.processes,
      operations: c.operations,
      seed,
      concurrency: c.overloaded ? 48 : 16,
    });
  if (c.outbox) {
    const table = `ct_history_outbox_${process.pid}_${seed}`;
    Object.assign(env, { OUTBOX: c.outbox, DATABASE_URL: testDatabaseUrl, OUTBOX_TABLE: table });
    const pool = new pg.Pool({ connectionString: testDatabaseUrl, max: 1 });
    try {
      return await onBackend(c.backend, run);
    } finally {
      await pool.query(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
      await pool.end();
    }
  }
  return onBackend(c.backend, run);
}

/** Starts the backend (a private redis-server, a private cluster), runs `run` with its environment, stops it. */
async function onBackend<T>(backend: Backend, run: (env: Record<string, string>) => Promise<T>): Promise<T> {
  if (backend === 'memory') return run({});
  if (backend === 'redis') {
    const redis = await startRedisServer();
    try {
      return await run({ REDIS_URL: `redis://127.0.0.1:${redis.port}` });
    } finally {
      await redis.stop();
    }
  }
  const cluster = await startRedisCluster(3);
  try {
    return await run({ REDIS_CLUSTER: cluster.nodes.map((node) => `127.0.0.1:${node.port}`).join(',') });
  } finally {
    await cluster.stop();
  }
}

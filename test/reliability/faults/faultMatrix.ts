/**
 * The fault matrix: the history checker (two server processes on Redis, both tiers and the fast path, the store's
 * default deadlines) with one fault injected a third of the way through and healed at two thirds. The servers reach
 * a private redis-server through the test fault proxy; faults act on the proxy (latency, cuts, black holes, resets)
 * or on the server (killed, hung, out of memory, flushed).
 */
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { startRedisCluster, type RedisCluster } from '../../helpers/redisCluster.js';
import { waitForPing } from '../../helpers/redis.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/faultProxy.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis.js';
import { runHistory, type HistoryResult } from '../history/history.js';

interface FaultContext {
  redis: RedisServer;
  readonly port: number;
  proxy: FaultProxy;
  admin: Redis;
  /** Timers a fault runs while injected. */
  timers: NodeJS.Timeout[];
}

export interface FaultCase {
  name: string;
  /** What the documented behaviour lets happen, for the table. */
  expectation: string;
  inject(ctx: FaultContext): Promise<void>;
  heal(ctx: FaultContext): Promise<void>;
}

const every = (ctx: FaultContext, ms: number, fn: () => void): void => {
  ctx.timers.push(setInterval(fn, ms));
};
const stopTimers = (ctx: FaultContext): void => {
  for (const timer of ctx.timers.splice(0)) clearInterval(timer);
};
const NO_STALE = 'none while invalidations meet their deadline';
/** The documented degraded mode (README, Redis): what every row may show once an invalidation misses its deadline. */
export const DEFERRED = 'stale reads possible in other processes for tags whose invalidation missed invalidateTimeoutMs, until its retry lands';

export const FAULTS: FaultCase[] = [
  {
    name: 'slow: 30 ms per round trip (under the read deadline)',
    expectation: `${NO_STALE}; ${DEFERRED}`,
    inject: async ({ proxy }) => proxy.delay(30),
    heal: async ({ proxy }) => proxy.heal(),
  },
  {
    name: 'latency 100 ms ± 50 ms jitter (over the read deadline)',
    expectation: DEFERRED,
    inject: async (ctx) => every(ctx, 50, () => ctx.proxy.delay(50 + Math.random() * 100)),
    heal: async (ctx) => {
      stopTimers(ctx);
      ctx.proxy.heal();
    },
  },
  {
    name: 'connections cut, new ones refused',
    expectation: DEFERRED,
    inject: async ({ proxy }) => proxy.cut(),
    heal: async ({ proxy }) => proxy.heal(),
  },
  {
    name: 'black hole (half-open: accepted, never answered)',
    expectation: DEFERRED,
    inject: async ({ proxy }) => proxy.blackhole(),
    heal: async ({ proxy }) => proxy.heal(),
  },
  {
    name: 'connections reset every 200 ms',
    expectation: DEFERRED,
    inject: async (ctx) =>
      every(ctx, 200, () => {
        ctx.proxy.cut();
        ctx.proxy.heal();
      }),
    heal: async (ctx) => stopTimers(ctx),
  },
  {
    name: 'Redis killed, restarted empty',
    // The entries are gone, but invalidations made while it was down (or while the breaker stays open after) are not.
    expectation: DEFERRED,
    inject: async (ctx) => ctx.redis.stop('SIGKILL'),
    heal: async (ctx) => {
      ctx.redis = await startRedisServer({ port: ctx.port });
    },
  },
  {
    name: 'Redis hung (SIGSTOP), then resumed',
    expectation: DEFERRED,
    inject: async ({ redis }) => void process.kill(redis.pid, 'SIGSTOP'),
    heal: async ({ redis }) => void process.kill(redis.pid, 'SIGCONT'),
  },
  {
    name: 'out of memory (maxmemory, noeviction)',
    expectation: DEFERRED,
    inject: async ({ admin }) => {
      const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      await admin.config('SET', 'maxmemory', String(used + 64 * 1024));
    },
    heal: async ({ admin }) => void (await admin.config('SET', 'maxmemory', '0')),
  },
  {
    name: 'FLUSHALL',
    expectation: `none from the flush itself (a missing sequence starts a new epoch); ${DEFERRED}`,
    inject: async ({ admin }) => void (await admin.flushall()),
    heal: async () => {},
  },
];

export const ciFaults = ['connections cut, new ones refused', 'Redis hung (SIGSTOP), then resumed', 'FLUSHALL'];

/**
 * Operations per fault row; the fault lasts from a third to two thirds of them. CI: 100 operations before, during and
 * after the fault (six in flight, every call during it waiting on a deadline); the long run: 1,000 each.
 */
export const faultOperations = (long: boolean): number => (long ? 3000 : 300);

/** A primary of a 3-primary cluster (no replicas) killed, then restarted empty from its cluster config: its slots are unavailable meanwhile. */
export const CLUSTER_PRIMARY_KILLED = 'a cluster primary killed, restarted empty';

export async function runClusterPrimaryKilled(operations: number): Promise<HistoryResult> {
  const cluster: RedisCluster = await startRedisCluster(3);
  const victim = cluster.nodes[1]!;
  const config = async (name: string): Promise<string> => ((await victim.admin.config('GET', name)) as string[])[1]!;
  const args = ['--port', String(victim.port), '--cluster-port', await config('cluster-port'), '--bind', '127.0.0.1', '--cluster-enabled', 'yes'];
  args.push('--cluster-config-file', await config('cluster-config-file'), '--save', '', '--appendonly', 'no', '--dir', await config('dir'));
  let restarted: ReturnType<typeof spawn> | undefined;
  try {
    return await runHistory({
      label: CLUSTER_PRIMARY_KILLED,
      env: { REDIS_CLUSTER: cluster.nodes.map((node) => `127.0.0.1:${node.port}`).join(','), REDIS_PREFIX: 'faults' },
      processes: 2,
      operations,
      concurrency: 6,
      fault: {
        injectAt: Math.floor(operations / 3),
        healAt: Math.floor((2 * operations) / 3),
        inject: async () => void process.kill(victim.pid, 'SIGKILL'),
        heal: async () => {
          restarted = spawn('redis-server', args, { stdio: 'ignore' });
          await waitForPing(victim.port, 5000);
        },
      },
    });
  } finally {
    restarted?.kill('SIGKILL');
    await cluster.stop();
  }
}

export async function runFault(fault: FaultCase, operations: number): Promise<HistoryResult> {
  const redis = await startRedisServer();
  const proxy = await startFaultProxy(redis.port);
  const admin = new Redis({ host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  admin.on('error', () => {});
  const ctx: FaultContext = { redis, port: redis.port, proxy, admin, timers: [] };
  try {
    return await runHistory({
      label: fault.name,
      env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_PREFIX: 'faults' },
      processes: 2,
      operations,
      concurrency: 6,
      fault: {
        injectAt: Math.floor(operations / 3),
        healAt: Math.floor((2 * operations) / 3),
        inject: () => fault.inject(ctx),
        heal: () => fault.heal(ctx),
      },
    });
  } finally {
    stopTimers(ctx);
    try {
      process.kill(ctx.redis.pid, 'SIGCONT');
    } catch {
      // already gone
    }
    admin.disconnect();
    await proxy.close();
    await ctx.redis.stop();
  }
}

/**
 * Fault-matrix rows that change which Redis holds the data, run under the history checker's load: a replica promoted
 * after it missed acknowledged writes (asynchronous replication losing them), and slots resharded between the
 * primaries of a real 3-primary cluster. They need topologies of their own, so they live beside faultMatrix.ts.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { startFaultProxy } from '../../helpers/faultProxy.js';
import { LOOPBACK, startRedisServer } from '../../helpers/redis.js';
import { startRedisCluster } from '../../helpers/redisCluster.js';
import { runHistory, type HistoryResult } from '../history/history.js';

const run = promisify(execFile);

/** The row's name and what the documented behaviour lets happen. */
export const REPLICA_PROMOTED = {
  name: 'a replica promoted that missed acknowledged writes',
  expectation:
    'stale reads possible: asynchronous replication can lose an acknowledged invalidation (README, Redis); the promoted node has another run_id, so every process starts a new epoch on reconnecting',
};
export const RESHARDED = {
  name: 'resharding under load (2,000 slots moved and back, 3 primaries)',
  expectation: 'none: redirections are followed; an invalidation of a split shard falls back to deleting the tag records',
};

/**
 * A primary and its replica (both started here); the server processes reach the primary through the fault proxy. At a
 * sixth of the run the replica is paused (SIGSTOP), so it misses every write acknowledged from then on; at a third the
 * primary is killed, the replica resumed and promoted (REPLICAOF NO ONE), and the proxy sends reconnections to it.
 */
export async function runReplicaPromoted(operations: number): Promise<HistoryResult> {
  const primary = await startRedisServer();
  const replica = await startRedisServer({ args: ['--replicaof', LOOPBACK, String(primary.port)] });
  const replicaAdmin = new Redis({ host: LOOPBACK, port: replica.port, maxRetriesPerRequest: 1 });
  replicaAdmin.on('error', () => {});
  const proxy = await startFaultProxy(primary.port);
  try {
    // In sync before the run starts: the replica has the data the run begins with.
    for (let i = 0; i < 100 && !/master_link_status:up/.test(await replicaAdmin.info('replication')); i++) await sleep(50);
    return await runHistory({
      label: REPLICA_PROMOTED.name,
      env: { REDIS_URL: `redis://${LOOPBACK}:${proxy.port}`, REDIS_PREFIX: 'faults' },
      processes: 2,
      operations,
      concurrency: 6,
      fault: {
        prepareAt: Math.floor(operations / 6),
        prepare: async () => void process.kill(replica.pid, 'SIGSTOP'),
        injectAt: Math.floor(operations / 3),
        inject: async () => {
          await primary.stop('SIGKILL');
          process.kill(replica.pid, 'SIGCONT');
          await replicaAdmin.replicaof('NO', 'ONE');
          proxy.retarget(replica.port);
          proxy.cut();
          proxy.heal();
        },
        healAt: Math.floor((2 * operations) / 3),
        heal: async () => {},
      },
    });
  } finally {
    try {
      process.kill(replica.pid, 'SIGCONT');
    } catch {
      // already gone
    }
    replicaAdmin.disconnect();
    await proxy.close();
    await primary.stop();
    await replica.stop();
  }
}

/**
 * A 3-primary cluster under the checker's load: at a third of the run 2,000 slots move from the first primary to the
 * second (`redis-cli --cluster reshard`: SETSLOT IMPORTING / MIGRATING, GETKEYSINSLOT, MIGRATE, SETSLOT NODE), and at
 * two thirds they move back.
 */
export async function runResharded(operations: number): Promise<HistoryResult> {
  const cluster = await startRedisCluster(3);
  const [a, b] = cluster.nodes as [(typeof cluster.nodes)[number], (typeof cluster.nodes)[number]];
  const reshard = async (from: typeof a, to: typeof a): Promise<void> => {
    const fromId = String(await from.admin.cluster('MYID'));
    const toId = String(await to.admin.cluster('MYID'));
    const args = ['--cluster', 'reshard', `${LOOPBACK}:${from.port}`, '--cluster-from', fromId, '--cluster-to', toId];
    await run('redis-cli', [...args, '--cluster-slots', '2000', '--cluster-yes'], { timeout: 120_000 });
  };
  try {
    return await runHistory({
      label: RESHARDED.name,
      env: { REDIS_CLUSTER: cluster.nodes.map((node) => `${LOOPBACK}:${node.port}`).join(','), REDIS_PREFIX: 'faults' },
      processes: 2,
      operations,
      concurrency: 6,
      fault: {
        injectAt: Math.floor(operations / 3),
        inject: () => reshard(a, b),
        healAt: Math.floor((2 * operations) / 3),
        heal: () => reshard(b, a),
      },
    });
  } finally {
    await cluster.stop();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

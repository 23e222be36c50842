/**
 * A throw-away Redis Cluster of primaries on loopback ports: spawned
 * `redis-server --cluster-enabled yes` processes joined with
 * `redis-cli --cluster create ... --cluster-replicas 0`, stopped by pid.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { freePort, LOOPBACK, onCleanup, skipOrFail, waitForPing } from './redis.js';

const run = promisify(execFile);

export interface RedisClusterNode {
  readonly port: number;
  readonly pid: number;
  /** A connected client to this node alone, for INFO and CLUSTER commands. */
  readonly admin: Redis;
}

export interface RedisCluster {
  readonly nodes: readonly RedisClusterNode[];
  /** A template `Cluster` client (lazyConnect) for `createRedisStore({ client })`. */
  template(): Cluster;
  stop(): Promise<void>;
}

/** Starts `primaries` cluster nodes and joins them; waits for `cluster_state:ok` on every node. */
export async function startRedisCluster(primaries = 3): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'cachetag-cluster-'));
  const children: ChildProcess[] = [];
  const admins: Redis[] = [];
  const stop = async (): Promise<void> => {
    for (const admin of admins) admin.disconnect();
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    const nodeChildren: ChildProcess[] = [];
    for (let i = 0; i < primaries; i++) {
      // A free port can be taken by another process before redis-server binds it: that node exits, and is started
      // again on other ports, instead of failing the test after a PING timeout.
      for (let attempt = 1; ; attempt++) {
        const port = await freePort();
        const busPort = await freePort();
        const child = spawn(
          'redis-server',
          [
            '--port', String(port), '--cluster-port', String(busPort), '--bind', LOOPBACK,
            '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`),
            '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', join(dir, `redis-${port}.log`),
          ], // prettier-ignore
          { stdio: 'ignore' },
        );
        children.push(child);
        await new Promise<void>((resolve, reject) => {
          child.once('spawn', resolve);
          child.once('error', reject);
        });
        if (await listening(child, port)) {
          ports.push(port);
          nodeChildren.push(child);
          break;
        }
        if (attempt === 3) throw new Error(`cluster node ${port} did not answer PING`);
      }
    }
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `${LOOPBACK}:${p}`), '--cluster-replicas', '0', '--cluster-yes'], {
      timeout: 20_000,
    });
    for (const port of ports) {
      const admin = new Redis({ host: LOOPBACK, port, maxRetriesPerRequest: 1 });
      admin.on('error', () => {});
      admins.push(admin);
    }
    const until = Date.now() + 15_000;
    for (const admin of admins) {
      for (;;) {
        const info = await admin.cluster('INFO');
        if (info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${primaries}`)) break;
        if (Date.now() > until) throw new Error(`cluster did not reach cluster_state:ok:\n${info}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    return {
      nodes: ports.map((port, i) => ({ port, pid: nodeChildren[i]!.pid!, admin: admins[i]! })),
      template: () => new Cluster([{ host: LOOPBACK, port: ports[0]! }], { lazyConnect: true }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** True once redis-server answers PING on `port`; false when it exited first (its port was taken) or never answered. */
async function listening(child: ChildProcess, port: number): Promise<boolean> {
  const exited = new Promise<false>((resolve) => child.once('exit', () => resolve(false)));
  if (child.exitCode !== null || child.signalCode !== null) return false;
  const answered = await Promise.race([waitForPing(port, 5000), exited]);
  if (!answered && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  return answered;
}

/** `startRedisCluster`, stopped after the test, or undefined after skipping when it cannot be started. */
export async function clusterOrSkip(t: TestContext, primaries = 3): Promise<RedisCluster | undefined> {
  try {
    const cluster = await startRedisCluster(primaries);
    onCleanup(t, () => cluster.stop());
    return cluster;
  } catch (error) {
    skipOrFail(t, `a Redis Cluster could not be started: ${(error as Error).message}`);
    return undefined;
  }
}

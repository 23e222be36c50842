/**
 * Real Redis for tests, loopback only.
 *
 * - `connectOrSkip(t)`: the shared server on 127.0.0.1:6379, started if it is
 *   not running. Tests on it must use a unique prefix and never flush it.
 * - `startRedisServer()`: a private, throw-away server on a free port (no
 *   persistence) that a test may flush, restart, starve of memory or kill.
 *
 * When neither can be had, the test is skipped with the reason printed,
 * unless CACHETAG_REQUIRE_REDIS=1 (CI), where it fails instead.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';

export const LOOPBACK = '127.0.0.1';
export const SHARED_REDIS_PORT = 6379;

/** True when tests must fail rather than skip without Redis (set in CI). */
export const redisRequired = process.env.CACHETAG_REQUIRE_REDIS === '1';

const cleanups = new WeakMap<TestContext, (() => unknown)[]>();

/**
 * Registers `fn` to run after the test, last registered first (node:test runs
 * `t.after` hooks first registered first), so that clients close before the
 * servers they talk to stop.
 */
export function onCleanup(t: TestContext, fn: () => unknown): void {
  let stack = cleanups.get(t);
  if (stack === undefined) {
    const created: (() => unknown)[] = [];
    stack = created;
    cleanups.set(t, created);
    t.after(async () => {
      for (let next = created.pop(); next !== undefined; next = created.pop()) await next();
    });
  }
  stack.push(fn);
}

/** Skips the test with a printed reason, or fails it when Redis is required. */
export function skipOrFail(t: TestContext, reason: string): void {
  if (redisRequired) throw new Error(`Redis is required (CACHETAG_REQUIRE_REDIS=1) but ${reason}`);
  console.log(`skipped ${t.name}: ${reason}`);
  t.skip(reason);
}

/** A connected admin client for assertions; closed after the test. */
export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  /** A connected client for assertions and fault injection. */
  readonly admin: Redis;
  /** A template client for `createRedisStore({ client })`: never connects by itself. */
  template(): Redis;
}

/** A unique key prefix, so tests sharing 6379 never see each other's keys. */
export function uniquePrefix(label = 'test'): string {
  return `ct-${label}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The shared Redis on 127.0.0.1:6379 (started when absent), or undefined after skipping the test. */
export async function connectOrSkip(t: TestContext): Promise<RedisTarget | undefined> {
  const problem = await ensureSharedRedis();
  if (problem !== undefined) {
    skipOrFail(t, problem);
    return undefined;
  }
  return target(t, SHARED_REDIS_PORT);
}

/**
 * Makes sure the shared Redis answers, starting it when absent. Resolves to
 * undefined when it does, to the reason otherwise; for suites that decide at
 * load time. Throws instead when Redis is required.
 */
export async function ensureSharedRedis(): Promise<string | undefined> {
  if (await ping(SHARED_REDIS_PORT)) return undefined;
  const started = spawnSync(
    'redis-server',
    ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', String(SHARED_REDIS_PORT), '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  if (!started.error && (await waitForPing(SHARED_REDIS_PORT, 3000))) return undefined;
  const reason = `no Redis answers on ${LOOPBACK}:${SHARED_REDIS_PORT} and redis-server could not be started`;
  if (redisRequired) throw new Error(`Redis is required (CACHETAG_REQUIRE_REDIS=1) but ${reason}`);
  return reason;
}

/** A Redis server this test owns. */
export interface RedisServer {
  readonly port: number;
  readonly pid: number;
  /** Stops the server (SIGKILL by default: a crash) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartRedisServerOptions {
  /** Port to listen on; a free one when omitted (pass the old port to restart "the same" server). */
  port?: number;
  /** Extra `redis-server` arguments, e.g. `['--maxmemory', '2mb']` (they override the defaults). */
  args?: readonly string[];
  /** Working directory (for a snapshot to survive a restart); a fresh temp dir, removed on stop, when omitted. */
  dir?: string;
}

/** Spawns a private redis-server on a loopback port, without persistence, in a temp dir. */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'cachetag-redis-'));
  // A free port can be taken by another process before redis-server binds it; without a port asked for, the server
  // is started again on another one instead of failing after a PING timeout.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        LOOPBACK,
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--logfile',
        join(dir, 'redis.log'),
        ...(options.args ?? []),
      ],
      { stdio: 'ignore' },
    );
    const spawned = await new Promise<boolean>((resolve) => {
      child.once('spawn', () => resolve(true));
      child.once('error', () => resolve(false));
    });
    if (!spawned || child.pid === undefined) throw new Error('redis-server could not be spawned (is it installed?)');
    const exited = new Promise<false>((resolve) => child.once('exit', () => resolve(false)));
    if (!(await Promise.race([waitForPing(port, 5000), exited]))) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (options.port === undefined && attempt < 3) continue;
      throw new Error(`redis-server on port ${port} did not answer PING`);
    }
    const owned = options.dir === undefined;
    return { port, pid: child.pid, stop: (signal = 'SIGKILL') => stopChild(child, owned ? dir : undefined, signal) };
  }
}

/** `startRedisServer`, registered for cleanup, or undefined after skipping the test when redis-server is unavailable. */
export async function ownRedisOrSkip(t: TestContext, options: StartRedisServerOptions = {}): Promise<(RedisServer & RedisTarget) | undefined> {
  let server: RedisServer;
  try {
    server = await startRedisServer(options);
  } catch (error) {
    skipOrFail(t, (error as Error).message);
    return undefined;
  }
  onCleanup(t, () => server.stop());
  return { ...(await target(t, server.port)), pid: server.pid, stop: server.stop };
}

async function target(t: TestContext, port: number): Promise<RedisTarget> {
  const admin = new Redis({ host: LOOPBACK, port, maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(n * 20, 200) });
  admin.on('error', () => {});
  onCleanup(t, () => admin.disconnect());
  return {
    host: LOOPBACK,
    port,
    admin,
    template: () => new Redis({ host: LOOPBACK, port, lazyConnect: true }),
  };
}

async function stopChild(child: ChildProcess, dir: string | undefined, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}

/** A port free on the loopback interface right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when a Redis answers PING on the loopback port. */
export async function ping(port: number): Promise<boolean> {
  const client = new Redis({ host: LOOPBACK, port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 500 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    // A client whose connection already failed has nothing to close; disconnect() would arm a 2 s timer.
    if (client.status !== 'end') client.disconnect();
  }
}

export async function waitForPing(port: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await ping(port)) return true;
    await sleep(25);
  }
  return false;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns its last answer. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000, everyMs = 20): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await sleep(everyMs);
  }
}

/** Deletes every key of a prefix on the shared server (test cleanup only; the store itself never scans). */
export async function deletePrefix(admin: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `*{${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Calls per command name from `INFO commandstats` (e.g. `{ evalsha: 12, eval: 1 }`). */
export async function commandCalls(admin: Redis): Promise<Record<string, number>> {
  const info = await admin.info('commandstats');
  const calls: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[match[1]!] = Number(match[2]);
  return calls;
}

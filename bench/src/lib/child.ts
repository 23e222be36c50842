/**
 * Starts contenders as child processes, waits until they answer, and makes
 * sure none outlives the driver: every child is tracked, stopped on exit, on
 * SIGINT/SIGTERM and on a crash, and (through BENCH_PARENT_WATCH) exits by
 * itself when the driver's end of its stdin closes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContenderSpec } from '../contenders/registry.js';
import type { ContenderStats } from '../contenders/shared/serve.js';
import { benchDir } from './paths.js';

export interface RunningContender {
  readonly id: string;
  readonly port: number;
  readonly baseUrl: string;
  readonly pid: number;
  /** The last few kilobytes the process printed. */
  output(): string;
  stats(): Promise<ContenderStats>;
  resetStats(): Promise<ContenderStats>;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly port?: number;
  readonly env?: Record<string, string>;
  /** How long the process may take to answer `/stats`. Default 60 s (tsx compiles on first start). */
  readonly readyTimeoutMs?: number;
}

const children = new Set<ChildProcess>();
let cleanupInstalled = false;

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function startContender(spec: ContenderSpec, options: StartOptions = {}): Promise<RunningContender> {
  return startBenchProcess(spec.id, join(benchDir, 'src', 'contenders', spec.entry), options);
}

/** Starts any bench entry point that takes `--port N` and answers `GET /stats` once ready (a contender, the data server). */
export async function startBenchProcess(id: string, entry: string, options: StartOptions = {}): Promise<RunningContender> {
  installCleanup();
  const port = options.port ?? (await freePort());
  // BENCH_CPU_PROF=<dir> profiles the contenders (one .cpuprofile per process), for `--cpu-prof` flame graphs.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // BENCH_NODE_ARGS: more node flags for every contender (space-separated), e.g. `--trace-gc` or heap sizes.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...profile, ...nodeArgs, '--import', 'tsx', entry, '--port', String(port)], {
    cwd: benchDir,
    env: { ...process.env, NODE_ENV: 'production', BENCH_PARENT_WATCH: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8192);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const baseUrl = `http://127.0.0.1:${port}`;
  const running: RunningContender = {
    id,
    port,
    baseUrl,
    pid: child.pid ?? -1,
    output: () => output,
    stats: () => getJson<ContenderStats>(`${baseUrl}/stats`),
    resetStats: () => getJson<ContenderStats>(`${baseUrl}/reset-stats`, 'POST'),
    async stop() {
      if (hasExited) return;
      child.kill('SIGTERM');
      const result = await Promise.race([exited.then(() => 'exited' as const), sleep(5_000).then(() => 'timeout' as const)]);
      if (result === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (hasExited) throw new Error(`${id} exited before it was ready:\n${indent(output)}`);
    try {
      await running.stats();
      return running;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await running.stop();
      throw new Error(`${id} did not answer /stats within ${options.readyTimeoutMs ?? 60_000} ms:\n${indent(output)}`);
    }
    await sleep(100);
  }
}

/** Stops every child still running (SIGTERM, then SIGKILL after a grace period). */
export async function stopAllContenders(): Promise<void> {
  await Promise.all(
    [...children].map(async (child) => {
      child.kill('SIGTERM');
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if ((await Promise.race([exited.then(() => true), sleep(3_000).then(() => false)])) === false) child.kill('SIGKILL');
    }),
  );
}

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  // Last resort: 'exit' handlers cannot wait, so whatever is left is killed outright.
  process.once('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping contenders`);
      void stopAllContenders().finally(() => process.exit(130));
    });
  }
}

async function getJson<T>(url: string, method = 'GET'): Promise<T> {
  const response = await fetch(url, { method, signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status}`);
  return (await response.json()) as T;
}

function indent(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

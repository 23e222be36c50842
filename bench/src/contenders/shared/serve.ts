/**
 * What every contender process shares: its port, its data source, the
 * `/stats` and `/reset-stats` endpoints the driver reads, and a clean exit.
 *
 * Protocol with the driver (src/lib/child.ts):
 * - the port comes from `--port N` or `PORT`; the server listens on 127.0.0.1 only;
 * - `GET /stats` answers {@link ContenderStats} once the server is ready;
 * - `POST /reset-stats` zeroes the counters (after the warm-up);
 * - SIGTERM or SIGINT closes the server and its connections, then exits 0;
 * - with `BENCH_PARENT_WATCH=1` the process also exits when its stdin closes,
 *   so a driver killed outright leaves no server behind;
 * - with `BENCH_DATA_URL` the data comes from a shared data server (sharedData/).
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { createDataSource, latencyMsFromEnv, type DataSource } from '../../dataSource.js';
import { createRemoteDataSource } from '../../sharedData/remoteDataSource.js';
import { subtractCounters } from '../../lib/counters.js';

/** The figures a contender reports, counted since the last reset. */
export interface ContenderStats {
  readonly contender: string;
  /** GraphQL HTTP requests received (`POST /graphql`). */
  readonly requests: number;
  /** Data-source round trips. */
  readonly dataSourceCalls: number;
  /** Keys asked for across those round trips. */
  readonly dataSourceKeys: number;
  /**
   * Redis commands this process sent (one per EVALSHA, however many calls
   * the script makes inside Redis), or null when not metered. Counted on
   * ioredis' `ioredis:command` tracing channel, so other clients of the
   * shared Redis do not show up in it.
   */
  readonly redisCommandsSent: number | null;
  /**
   * The cache library's own counters since the reset (numeric fields as
   * deltas), when the contender exposes them (cachetag's `cache.stats()`).
   */
  readonly library: CounterTree | null;
  readonly pid: number;
  readonly rssBytes: number;
  /** CPU time this process used since the reset (user + system), in microseconds. */
  readonly cpuMicros: number;
}

/** Counters and data shared by a contender's HTTP layer and its resolvers. */
/** Counters as a library reports them: numbers, possibly nested (`errors: { TIMEOUT: 3 }`). */
export interface CounterTree {
  readonly [name: string]: number | CounterTree;
}

export interface ContenderRuntime {
  readonly name: string;
  readonly port: number;
  readonly dataSource: DataSource;
  /** Call once per GraphQL request. */
  countRequest(): void;
  stats(): ContenderStats;
  resetStats(): void;
  /**
   * Answers `/stats` and `/reset-stats` on a plain node:http request.
   * Returns false when the request is for something else.
   */
  handleStatsRequest(request: IncomingMessage, response: ServerResponse): boolean;
  /** Adds a cache library's cumulative counters to `/stats` (reported as deltas since the last reset). */
  reportLibraryStats(read: () => object): void;
}

export function createContenderRuntime(name: string): ContenderRuntime {
  // BENCH_DATA_URL: one data server shared by several processes (scaling/instances.ts), which counts the calls of all.
  const dataUrl = process.env.BENCH_DATA_URL;
  const dataSource = dataUrl ? createRemoteDataSource(dataUrl) : createDataSource({ latencyMs: latencyMsFromEnv() });
  let requests = 0;
  let readLibraryStats: (() => object) | undefined;
  let libraryBaseline: CounterTree = {};
  let cpuBaseline = process.cpuUsage();
  const runtime: ContenderRuntime = {
    name,
    port: portFromArgs(),
    dataSource,
    countRequest() {
      requests++;
    },
    stats() {
      return {
        contender: name,
        requests,
        dataSourceCalls: dataSource.stats.calls,
        dataSourceKeys: dataSource.stats.keys,
        redisCommandsSent: redisMeter.enabled ? redisMeter.count : null,
        library: readLibraryStats ? subtractCounters(readLibraryStats() as CounterTree, libraryBaseline) : null,
        pid: process.pid,
        rssBytes: process.memoryUsage.rss(),
        cpuMicros: ((usage) => usage.user + usage.system)(process.cpuUsage(cpuBaseline)),
      };
    },
    resetStats() {
      requests = 0;
      cpuBaseline = process.cpuUsage();
      redisMeter.count = 0;
      libraryBaseline = readLibraryStats ? structuredClone(readLibraryStats() as CounterTree) : {};
      dataSource.resetStats();
    },
    reportLibraryStats(read) {
      readLibraryStats = read;
      libraryBaseline = structuredClone(read() as CounterTree);
    },
    handleStatsRequest(request, response) {
      const path = (request.url ?? '/').split('?')[0];
      if (path === '/stats' && request.method === 'GET') {
        sendJson(response, 200, runtime.stats());
        return true;
      }
      if (path === '/reset-stats' && request.method === 'POST') {
        runtime.resetStats();
        sendJson(response, 200, runtime.stats());
        return true;
      }
      return false;
    },
  };
  return runtime;
}

const redisMeter = { enabled: false, count: 0 };

/**
 * Counts every command an ioredis client of this process writes (pipelined
 * ones included), for contenders that use Redis. ioredis only traces while
 * someone subscribes, so contenders without Redis pay nothing.
 */
export function meterRedisCommands(): void {
  if (redisMeter.enabled) return;
  redisMeter.enabled = true;
  diagnosticsChannel.tracingChannel('ioredis:command').subscribe({
    start() {
      redisMeter.count++;
    },
    end() {},
    asyncStart() {},
    asyncEnd() {},
    error() {},
  });
}

/** Listens on loopback and wires the shutdown signals to `close`. */
export async function listenOnLoopback(server: Server, runtime: ContenderRuntime, close: () => Promise<void>): Promise<void> {
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(runtime.port, '127.0.0.1', () => resolve());
  });
  exitCleanlyOnShutdown(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await close();
  });
  console.log(`${runtime.name} listening on http://127.0.0.1:${runtime.port}/graphql`);
}

/**
 * Serves a framework's request listener (Express app, Apollo's standalone listener, a drop-in) behind the driver's
 * `/stats` routes, counting the GraphQL requests, on the contender's loopback port.
 */
export async function serveListener(
  runtime: ContenderRuntime,
  listener: (request: IncomingMessage, response: ServerResponse) => void,
  close: () => Promise<void>,
): Promise<void> {
  const server = createServer((request, response) => {
    if (runtime.handleStatsRequest(request, response)) return;
    if ((request.url ?? '').startsWith('/graphql')) runtime.countRequest();
    listener(request, response);
  });
  await listenOnLoopback(server, runtime, close);
}

/** Runs `close` once on SIGTERM, SIGINT or (when watched) the parent going away, then exits. */
export function exitCleanlyOnShutdown(close: () => Promise<void>): void {
  let closing = false;
  const shutdown = (code: number) => {
    if (closing) return;
    closing = true;
    const force = setTimeout(() => process.exit(code), 3_000);
    force.unref();
    close().then(
      () => process.exit(code),
      (error: unknown) => {
        console.error('error while closing', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown(0));
  process.once('SIGINT', () => shutdown(0));
  if (process.env.BENCH_PARENT_WATCH === '1') {
    process.stdin.on('data', () => {});
    process.stdin.once('end', () => shutdown(0));
    process.stdin.once('close', () => shutdown(0));
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Reads a request body whole. */
/** The request body as text; events rather than `for await`, whose async iterator costs microseconds per request. */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
  });
}

function portFromArgs(): number {
  const { values } = parseArgs({ options: { port: { type: 'string' } }, strict: false });
  const raw = (typeof values.port === 'string' ? values.port : undefined) ?? process.env.PORT;
  const port = Number(raw);
  if (raw === undefined || !Number.isInteger(port) || port <= 0 || port > 65_535) {
    throw new Error(`A contender needs a port: pass --port N or set PORT (received ${JSON.stringify(raw)}).`);
  }
  return port;
}

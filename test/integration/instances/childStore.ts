/**
 * The round loop of a child process of the instance tests (coldKeyChild.ts, coldOperationChild.ts): one process
 * serves every round of its test file, each round on a fresh Redis store (deadlines long, since a loaded machine must
 * not make Redis read as gone), so the file pays for 4 process start-ups instead of 4 per test.
 */
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { createRedisStore, type RedisStore } from '../../../src/stores/redis/index.js';

/** One round, as coldKeyRun.ts sends it: `open <json>`. */
export interface RoundArgs {
  readonly port: number;
  readonly prefix: string;
  readonly leases: boolean;
  readonly local: 'none' | 'strict' | 'fast';
  readonly concurrency: number;
}

/** What a round does once its store is open: `prepare` before "ready", `run` on "go"; resolves to the "done" report. */
export type Round = (store: RedisStore, args: RoundArgs) => Promise<{ run(): Promise<object>; close(): Promise<void> }>;

const say = (message: object): void => void process.stdout.write(`${JSON.stringify(message)}\n`);

/** Serves rounds until stdin closes: `open <json>` → "ready", `go` → "done" with the round's report. */
export async function serveRounds(leaseWaitMs: number, round: Round): Promise<never> {
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  say({ event: 'started' });
  for (let line = await lines.next(); !line.done; line = await lines.next()) {
    const text = line.value as string;
    if (!text.startsWith('open ')) continue;
    const args = JSON.parse(text.slice(5)) as RoundArgs;
    const store = await openChildStore(args, leaseWaitMs);
    const prepared = await round(store, args);
    say({ event: 'ready' });
    while ((await lines.next()).value !== 'go');
    say({ event: 'done', ...(await prepared.run()) });
    await prepared.close();
    await store.close();
  }
  process.exit(0);
}

async function openChildStore(args: RoundArgs, leaseWaitMs: number): Promise<RedisStore> {
  const store = createRedisStore({
    client: new Redis({ host: '127.0.0.1', port: args.port, lazyConnect: true }),
    prefix: args.prefix,
    readTimeoutMs: 2000,
    writeTimeoutMs: 2000,
    // A loaded machine may starve a socket for a second: that must not read as Redis gone.
    socketTimeoutMs: 10_000,
    ...(args.leases ? { leases: { waitMs: leaseWaitMs } } : {}),
    ...(args.local === 'none' ? {} : { local: { mode: args.local } }),
  });
  if (!(await store.whenConnected())) throw new Error('child store did not connect');
  return store;
}

/**
 * A TCP proxy on a free loopback port in front of a Redis, for fault
 * injection: it forwards bytes both ways until told to `delay(ms)` them,
 * `cut()` every connection (and refuse new ones), or `blackhole()` them
 * (accept and swallow bytes, never answer). `heal()` restores forwarding;
 * bytes swallowed meanwhile are lost, as after a real partition.
 */
import { createServer, type Server, type Socket, connect } from 'node:net';
import { LOOPBACK } from './redis.js';

export interface FaultProxy {
  readonly port: number;
  /** Connections currently open through the proxy. */
  readonly connections: number;
  /** Delays every chunk, both ways, by `ms` (order kept). */
  delay(ms: number): void;
  /** Destroys every connection and refuses new ones until `heal()`. */
  cut(): void;
  /** Accepts connections and swallows every byte, both ways, until `heal()`. */
  blackhole(): void;
  /** Forwards again, without delay. */
  heal(): void;
  /** Sends new connections to `port` from now on (a failover: clients follow the promoted replica). */
  retarget(port: number): void;
  close(): Promise<void>;
}

type Mode = 'pass' | 'cut' | 'blackhole';

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
}

export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  let mode: Mode = 'pass';
  let delayMs = 0;
  let target = targetPort;
  const pairs = new Set<Pair>();

  const pipe = (from: Socket, to: Socket): void => {
    let lastDue = 0;
    from.on('data', (chunk) => {
      if (mode === 'blackhole') return;
      if (delayMs <= 0 && lastDue <= Date.now()) {
        to.write(chunk);
        return;
      }
      // Never earlier than the previous chunk, so a shrinking delay keeps order.
      const due = Math.max(Date.now() + delayMs, lastDue);
      lastDue = due;
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
      }, due - Date.now());
    });
  };

  const server: Server = createServer((client) => {
    if (mode === 'cut') {
      client.destroy();
      return;
    }
    const upstream = connect(target, LOOPBACK);
    const pair = { client, upstream };
    pairs.add(pair);
    const close = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true);
      socket.on('error', close);
      socket.on('close', close);
    }
    pipe(client, upstream);
    pipe(upstream, client);
  });

  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const destroyAll = (): void => {
    for (const { client, upstream } of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };

  return {
    port,
    get connections() {
      return pairs.size;
    },
    delay(ms) {
      delayMs = ms;
    },
    cut() {
      mode = 'cut';
      destroyAll();
    },
    blackhole() {
      mode = 'blackhole';
    },
    heal() {
      mode = 'pass';
      delayMs = 0;
    },
    retarget(port) {
      target = port;
    },
    close() {
      destroyAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

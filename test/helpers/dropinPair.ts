/**
 * The setup every drop-in test shares: the integration started twice, with its fast path and without it (what the
 * server alone sends), both stopped after the file's tests, and the scenario of integrationSuite.ts run on the pair.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import { after, before } from 'node:test';
import { runScenario, type Target } from './integrationSuite.js';

/** A started pair; read its members inside tests (they are set by the file's `before` hook). */
export interface DropinPair<T extends Target> {
  readonly fast: T;
  readonly slow: T;
  /** Runs the scenario: `fast` against `slow`, `settle` waiting for both targets' pending cache fills. */
  scenario(settle: (target: T) => Promise<void>, options?: { persistedQueries?: boolean }): Promise<void>;
}

/** Registers `before`/`after` hooks starting `start(true)` and `start(false)`, and stopping both. */
export function dropinPair<T extends Target>(start: (fastPath: boolean) => Promise<T>): DropinPair<T> {
  let fast: T | undefined;
  let slow: T | undefined;
  before(async () => {
    fast = await start(true);
    slow = await start(false);
  });
  after(async () => {
    await fast?.stop();
    await slow?.stop();
  });
  const started = (target: T | undefined) => {
    if (!target) throw new Error('dropinPair: read the pair inside a test, once the before hook has run');
    return target;
  };
  return {
    get fast() {
      return started(fast);
    },
    get slow() {
      return started(slow);
    },
    scenario(settle, options) {
      const pair = [started(fast), started(slow)] as const;
      return runScenario(pair[0], pair[1], async () => void (await Promise.all(pair.map(settle))), options);
    },
  };
}

/** Listens on a free loopback port; resolves with the URL of `path` on it. */
export async function listenOnLoopback(server: Server, path = '/graphql'): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return `http://127.0.0.1:${port}${path}`;
}

/**
 * On a single Redis, the store's commands issued in one event-loop turn leave in one socket write (ioredis
 * auto-pipelining): on a loaded server a socket call costs far more than a script's bytes, so a lookup round, the
 * fills and the invalidations of one turn share it. Counted by watching the writes of the sockets connected to a
 * private server, which only this store uses.
 */
import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { test } from 'node:test';
import { ownRedisOrSkip } from '../../helpers/redis.js';
import { entry, openStore, patientDeadlines } from './support.js';

test('scripts issued in one turn share one socket write', async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  const store = await openStore(t, server, patientDeadlines);
  const { seq } = await store.get(['warm']);

  const writes: string[] = [];
  const write = Socket.prototype.write;
  // Recorded only for this server's port: each call is one write of the socket, whatever it carries.
  Socket.prototype.write = function (this: Socket, chunk: unknown, ...rest: unknown[]) {
    if (this.remotePort === server.port) writes.push(Buffer.isBuffer(chunk) ? chunk.toString('latin1') : String(chunk));
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof Socket.prototype.write;
  try {
    await Promise.all([
      store.get(['a', 'b']),
      store.set([entry('c', 'v', ['Product:1'], seq)]),
      store.set([entry('d', 'w', ['Product:2'], seq)]),
      store.invalidate(['Product:3']),
    ]);
  } finally {
    Socket.prototype.write = write;
  }
  const scripts = writes.reduce((n, w) => n + (w.match(/evalsha/gi)?.length ?? 0), 0);
  const carrying = writes.filter((w) => /evalsha/i.test(w)).length;
  assert.ok(scripts >= 4, `the four calls sent ${scripts} scripts`);
  assert.equal(carrying, 1, `${scripts} scripts went out in ${carrying} socket writes; one turn's commands should share one`);
});

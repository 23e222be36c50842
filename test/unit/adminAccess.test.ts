/**
 * cacheAdmin without a token answers loopback clients only, and with one, only requests carrying it. Tests may only
 * use loopback addresses, so the remote address is set on a request object instead of coming from a real socket.
 */
import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { test } from 'node:test';
import { createCache, createMemoryStore } from '../../src/index.js';
import { cacheAdmin } from '../../src/http/admin.js';

async function statusFor(handler: ReturnType<typeof cacheAdmin>, remoteAddress: string, headers: Record<string, string> = {}): Promise<number> {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: remoteAddress });
  const req = new IncomingMessage(socket);
  req.method = 'GET';
  req.url = '/stats';
  req.headers = headers;
  const res = new ServerResponse(req);
  const ended = new Promise<void>((resolve) => {
    const end = res.end.bind(res);
    res.end = ((...args: Parameters<typeof end>) => {
      resolve();
      return end(...args);
    }) as typeof res.end;
  });
  handler(req, res);
  await ended;
  return res.statusCode;
}

test('without a token: loopback clients (127.0.0.0/8, ::1, IPv4-mapped) are answered, others get 403', async () => {
  const cache = createCache({ store: createMemoryStore() });
  const admin = cacheAdmin(cache);
  for (const address of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1']) assert.equal(await statusFor(admin, address), 200, address);
  for (const address of ['10.0.0.5', '192.168.1.2', '::ffff:10.0.0.5', 'fe80::1', '', '128.0.0.1']) assert.equal(await statusFor(admin, address), 403, address);
  await cache.close();
});

test('with a token: only requests carrying it are answered, from any address', async () => {
  const cache = createCache({ store: createMemoryStore() });
  const admin = cacheAdmin(cache, { token: 'correct-horse-battery' });
  assert.equal(await statusFor(admin, '127.0.0.1'), 401);
  assert.equal(await statusFor(admin, '10.0.0.5', { authorization: 'Bearer wrong-token-here' }), 401);
  assert.equal(await statusFor(admin, '10.0.0.5', { authorization: 'Bearer correct-horse-battery' }), 200);
  await cache.close();
});

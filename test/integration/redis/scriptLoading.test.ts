/**
 * The store loads its scripts on every connection as soon as it is ready, so
 * even the first call after startup, or after Redis restarted and lost its
 * script cache, is a plain EVALSHA: no script text on the wire and no
 * compilation inside the read deadline. A server that lost them anyway
 * (SCRIPT FLUSH) answers NOSCRIPT, and the store sends the script once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storeScripts } from '../../../src/stores/redis/scripts.js';
import { eventually, onCleanup, ownRedisOrSkip, startRedisServer } from '../../helpers/redis.js';
import { entry, openStore, text, traceCommands } from './support.js';

const shas = Object.values(storeScripts).map((s) => s.sha);

test('scripts are loaded on connection, reloaded after a restart, and resent after NOSCRIPT', async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  const store = await openStore(t, server, { readTimeoutMs: 1000, writeTimeoutMs: 1000 });
  assert.deepEqual(
    await server.admin.script('EXISTS', ...shas),
    shas.map(() => 1),
    'whenConnected() resolved once every script was loaded',
  );

  const trace = await traceCommands(t, server);
  const first = await trace(() => store.get(['k']));
  assert.deepEqual(first.sent, ['evalsha'], 'the first get after connecting is a plain EVALSHA');

  await server.admin.script('FLUSH');
  const flushed = await trace(() => store.get(['k']));
  assert.deepEqual(flushed.sent, ['evalsha', 'eval'], 'after NOSCRIPT the script is sent once');
  assert.deepEqual((await trace(() => store.get(['k']))).sent, ['evalsha'], 'and then cached again');

  const { seq } = await store.get([]);
  assert.equal(await store.set([entry('k', 'v', ['P:1'], seq)]), 1);
  trace.stop();
  await server.stop();
  assert.ok(
    await eventually(
      async () =>
        await store.get(['k']).then(
          () => false,
          () => true,
        ),
      5000,
    ),
    'the store noticed',
  );
  const again = await startRedisServer({ port: server.port });
  onCleanup(t, () => again.stop());
  assert.ok(await store.whenConnected(8000));
  await server.admin.ping();
  assert.deepEqual(
    await server.admin.script('EXISTS', ...shas),
    shas.map(() => 1),
    'reloaded on the new connection',
  );
  const traceAgain = await traceCommands(t, server);
  const afterRestart = await traceAgain(() => store.get(['k']));
  assert.deepEqual(afterRestart.sent, ['evalsha'], 'the first get after the restart is a plain EVALSHA');
  assert.deepEqual((await store.get(['k'])).values.map(text), ['absent'], 'the restarted server had nothing');
  await store.close(); // before the restarted server stops
});

/**
 * A cached field whose resolver throws leaves a record: a `bypass` with reason `error` in stats, on the
 * `cachetag:field` channel and in the debug output, for the request that ran it and for those that joined its flight.
 */
import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import { test } from 'node:test';
import { createApolloHarness } from '../../helpers/apollo.js';
import type { FieldEvent } from '../../../src/index.js';

const typeDefs = /* GraphQL */ `
  type Query {
    price(id: ID!): Int @cacheControl(maxAge: 60)
  }
`;

test('a throwing resolver is reported as a bypass (error) for the caller and for a request that joined its flight', async (t) => {
  let calls = 0;
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  let fail!: () => void;
  const gate = new Promise<void>((resolve) => (fail = resolve));
  const h = await createApolloHarness(
    typeDefs,
    {
      Query: {
        price: async () => {
          calls++;
          started();
          await gate;
          throw new Error('database down');
        },
      },
    },
    { plugin: { debug: true } },
  );
  t.after(() => h.stop());
  const events: FieldEvent[] = [];
  const listen = (event: unknown) => events.push(event as FieldEvent);
  diagnosticsChannel.subscribe('cachetag:field', listen);
  t.after(() => diagnosticsChannel.unsubscribe('cachetag:field', listen));

  const first = h.run(`{ price(id: 1) }`, undefined, { allowErrors: true });
  await running;
  const second = h.run(`{ price(id: 1) }`, undefined, { allowErrors: true });
  while (h.cache.stats().joinedFlights === 0) await new Promise((resolve) => setImmediate(resolve));
  fail();
  const results = await Promise.all([first, second]);

  assert.equal(calls, 1, 'the second request joined the flight');
  for (const result of results) {
    assert.equal(result.errors?.[0]?.message, 'database down', 'the error is rethrown to GraphQL');
    const fields = (result.extensions?.cachetag as { fields: { coordinate: string; outcome: string; reason?: string }[] }).fields;
    assert.deepEqual(
      fields.map((f) => `${f.coordinate}:${f.outcome}:${f.reason}`),
      ['Query.price:bypass:error'],
    );
  }
  assert.equal(h.cache.stats().bypasses, 2);
  assert.deepEqual(
    events.map((e) => `${e.coordinate}:${e.outcome}:${e.reason}`),
    ['Query.price:bypass:error', 'Query.price:bypass:error'],
  );
});

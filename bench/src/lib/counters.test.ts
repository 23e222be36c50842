import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CounterTree } from '../contenders/shared/serve.js';
import { addCounters, subtractCounters } from './counters.js';

test('a window subtracts counters but reports a gauge at its end level', () => {
  const before = { hits: 10, pendingInvalidations: 8, errors: { STORE_TIMEOUT: 1 } };
  const now = { hits: 25, pendingInvalidations: 0, errors: { STORE_TIMEOUT: 3, CODEC: 2 } };
  assert.deepEqual(subtractCounters(now, before), { hits: 15, pendingInvalidations: 0, errors: { STORE_TIMEOUT: 2, CODEC: 2 } });
});

test('rounds add counters and keep the highest level of a gauge', () => {
  const rounds: CounterTree[] = [
    { hits: 5, pendingInvalidations: 3, errors: { CODEC: 1 } },
    { hits: 7, pendingInvalidations: 1, errors: {} },
  ];
  assert.deepEqual(addCounters(rounds), { hits: 12, pendingInvalidations: 3, errors: { CODEC: 1 } });
});

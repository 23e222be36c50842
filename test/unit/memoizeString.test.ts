/**
 * The bounded string memo behind the operation-key and query-text hashes: a working set larger than one generation
 * (the bench's mixed workload asks for ~4,800 distinct operations) must keep its popular inputs, not recompute them
 * all whenever the memo fills; its size stays bounded.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoizeString } from '../../src/engine/memo.js';

test('popular inputs stay remembered while a long tail streams through a full memo', () => {
  let computed = 0;
  const memo = memoizeString(
    (input) => {
      computed++;
      return input.toUpperCase();
    },
    100,
    64,
  );
  const popular = Array.from({ length: 20 }, (_, i) => `hot-${i}`);
  for (const input of popular) memo(input);
  // 1,000 one-off inputs, the popular ones asked for between every 10 of them.
  for (let i = 0; i < 1000; i++) {
    memo(`tail-${i}`);
    if (i % 10 === 9) for (const input of popular) assert.equal(memo(input), input.toUpperCase());
  }
  assert.equal(computed, 20 + 1000, `the popular inputs were computed ${computed - 1020} more times`);
});

test('the memo is bounded and long inputs are not remembered', () => {
  let computed = 0;
  const memo = memoizeString(
    (input) => {
      computed++;
      return input;
    },
    10,
    8,
  );
  for (let i = 0; i < 100; i++) memo(`k${i}`);
  computed = 0;
  // At most two generations of 10: the first 80 are forgotten.
  for (let i = 0; i < 80; i++) memo(`k${i}`);
  assert.equal(computed, 80);
  memo('a long input!');
  memo('a long input!');
  assert.equal(computed, 82);
});

/**
 * Strict mode's shared rounds (src/stores/redis/tickBatch.ts), without Redis: the gets of one event-loop turn share a
 * round; at most one round is in flight, the gets made meanwhile share the next one, which is sent only after they were
 * all called (strict mode's guarantee rests on that); a failing or throwing round settles its own gets and releases
 * the next round.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';
import { createTickBatch } from '../../src/stores/redis/tickBatch.js';
import type { StoreLookup } from '../../src/stores/types.js';

interface Round {
  readonly keys: readonly string[];
  answer(): void;
  fail(error: Error): void;
}

function recordingRounds(): { rounds: Round[]; round: (keys: readonly string[]) => Promise<StoreLookup> } {
  const rounds: Round[] = [];
  const round = (keys: readonly string[]) =>
    new Promise<StoreLookup>((resolve, reject) => {
      rounds.push({
        keys,
        answer: () => resolve({ values: keys.map((k) => Buffer.from(`v:${k}`)), seq: `seq${rounds.length}` }),
        fail: reject,
      });
    });
  return { rounds, round };
}

const text = (lookup: StoreLookup) => lookup.values.map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString() : String(v)));

test('the gets of one turn share one round; each gets its own keys back, in its order', async () => {
  const { rounds, round } = recordingRounds();
  const get = createTickBatch(round);
  const a = get(['k1', 'k2']);
  const b = get(['k2', 'k3']);
  await turn();
  assert.equal(rounds.length, 1);
  assert.deepEqual(rounds[0]!.keys, ['k1', 'k2', 'k3'], 'keys deduplicated');
  rounds[0]!.answer();
  assert.deepEqual(text(await a), ['v:k1', 'v:k2']);
  assert.deepEqual(text(await b), ['v:k2', 'v:k3']);
});

test('one round in flight: gets made meanwhile wait, then share the next round, sent after all of them were called', async () => {
  const { rounds, round } = recordingRounds();
  const get = createTickBatch(round);
  const first = get(['a']);
  await turn();
  assert.equal(rounds.length, 1);
  // Three more turns of gets while the first round is out: none of them is sent yet.
  const later = [get(['b'])];
  await turn();
  later.push(get(['c']));
  await turn();
  later.push(get(['b', 'd']));
  await turn();
  assert.equal(rounds.length, 1, 'no second round while the first is in flight');
  rounds[0]!.answer();
  assert.deepEqual(text(await first), ['v:a']);
  await turn();
  assert.equal(rounds.length, 2, 'the waiting gets share one round');
  assert.deepEqual(rounds[1]!.keys, ['b', 'c', 'd']);
  // A get made after the second round was sent is not answered by it.
  const after = get(['e']);
  await turn();
  assert.equal(rounds.length, 2);
  rounds[1]!.answer();
  assert.deepEqual((await Promise.all(later)).map(text), [['v:b'], ['v:c'], ['v:b', 'v:d']]);
  await turn();
  assert.equal(rounds.length, 3);
  assert.deepEqual(rounds[2]!.keys, ['e']);
  rounds[2]!.answer();
  assert.deepEqual(text(await after), ['v:e']);
});

test('a failed round rejects its own gets and releases the next round; a throwing round too', async () => {
  const { rounds, round } = recordingRounds();
  let throwNext = false;
  const get = createTickBatch((keys) => {
    if (throwNext) {
      throwNext = false;
      throw new Error('thrown');
    }
    return round(keys);
  });
  const failing = get(['x']);
  await turn();
  const waiting = get(['y']);
  rounds[0]!.fail(new Error('redis down'));
  await assert.rejects(failing, /redis down/);
  await turn();
  assert.equal(rounds.length, 2);
  rounds[1]!.answer();
  assert.deepEqual(text(await waiting), ['v:y']);
  throwNext = true;
  await assert.rejects(get(['z']), /thrown/);
  const next = get(['w']);
  await turn();
  rounds[2]!.answer();
  assert.deepEqual(text(await next), ['v:w']);
});

test('with a deadline, each get fails that long after its own call, even behind a round in flight; the round goes on for the rest', async () => {
  const { rounds, round } = recordingRounds();
  const get = createTickBatch(round, { ms: 40, expired: (ms) => new Error(`missed ${ms} ms`) });
  const calledAt = performance.now();
  const first = get(['a']);
  await turn();
  // Behind the first round (which never answers in time): without its own deadline it would wait for that round first.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const behind = get(['b']);
  const behindAt = performance.now();
  await assert.rejects(first, /missed 40 ms/);
  assert.ok(performance.now() - calledAt < 40 + 500, 'the first get failed near its deadline');
  await assert.rejects(behind, /missed 40 ms/);
  const waited = performance.now() - behindAt;
  assert.ok(waited >= 35 && waited < 40 + 500, `the second get failed ${waited.toFixed(0)} ms after its call, not after two rounds`);
  assert.equal(rounds.length, 1, 'still one round in flight: the second was never sent');
  // The late answer settles nothing twice; the expired get is never sent; the next get has a round of its own.
  rounds[0]!.answer();
  await turn();
  assert.equal(rounds.length, 1);
  const fresh = get(['c']);
  await turn();
  assert.equal(rounds.length, 2);
  assert.deepEqual(rounds[1]!.keys, ['c']);
  rounds[1]!.answer();
  assert.deepEqual(text(await fresh), ['v:c']);
});

test('with a deadline, gets answered in time are answered, and no timer is left behind', async () => {
  const { rounds, round } = recordingRounds();
  const get = createTickBatch(round, { ms: 1000, expired: () => new Error('late') });
  const a = get(['a']);
  const b = get(['b']);
  await turn();
  rounds[0]!.answer();
  assert.deepEqual([text(await a), text(await b)], [['v:a'], ['v:b']]);
  // The round answered: its deadline timer is cleared (a late one would reject nothing, but must not linger).
  await new Promise((resolve) => setTimeout(resolve, 20));
});

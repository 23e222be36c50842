/** The Prometheus counters by coordinate and by reason: exact counts after a known sequence; the unlabelled totals stay. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { registerPrometheusMetrics } from '../../src/metrics/prometheus.js';
import { assertNoErrors, createHarness } from '../helpers/schema.js';

test('field_lookups_total{coordinate,outcome} and field_reasons_total{outcome,reason} count each resolution once', async () => {
  const h = createHarness(
    /* GraphQL */ `
      type Query {
        a: Int @cacheControl(maxAge: 60)
        mine: Int @cacheControl(maxAge: 60, scope: PRIVATE)
      }
    `,
    { Query: { a: () => 1, mine: () => 2 } },
    { sessionId: () => undefined },
  );
  const registry = new Registry();
  registerPrometheusMetrics(h.cache, { registry });
  assertNoErrors(await h.run('{ a }'));
  assertNoErrors(await h.run('{ a }'));
  assertNoErrors(await h.run('{ a mine }'));
  const text = await registry.metrics();
  const line = (series: string) => new RegExp(`^${series.replace(/[{}]/g, (c) => `\\${c}`)} (\\d+)$`, 'm').exec(text)?.[1];
  assert.equal(line('cachetag_hits_total'), '2');
  assert.equal(line('cachetag_field_lookups_total{coordinate="Query.a",outcome="hit"}'), '2');
  assert.equal(line('cachetag_field_lookups_total{coordinate="Query.a",outcome="miss"}'), '1');
  assert.equal(line('cachetag_field_lookups_total{coordinate="Query.mine",outcome="bypass"}'), '1');
  assert.equal(line('cachetag_field_reasons_total{outcome="miss",reason="absent"}'), '1');
  assert.equal(line('cachetag_field_reasons_total{outcome="bypass",reason="no-session"}'), '1');
  // A second scrape adds nothing that did not happen.
  assert.equal(
    line('cachetag_field_lookups_total{coordinate="Query.a",outcome="hit"}'),
    /coordinate="Query.a",outcome="hit"} (\d+)/.exec(await registry.metrics())![1],
  );
});

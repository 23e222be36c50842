import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Span, Tracer } from '@opentelemetry/api';
import { createMemoryStore } from '../../src/index.js';
import { withTracing } from '../../src/metrics/opentelemetry.js';

/** A minimal tracer recording spans, so the test needs no SDK. */
function recordingTracer() {
  const spans: { name: string; attributes: Record<string, unknown>; ended: boolean; error?: string }[] = [];
  const tracer = {
    startActiveSpan(name: string, options: { attributes: Record<string, unknown> }, fn: (span: Span) => unknown) {
      const record: (typeof spans)[number] = { name, attributes: { ...options.attributes }, ended: false };
      spans.push(record);
      const span = {
        setAttribute: (k: string, v: unknown) => ((record.attributes[k] = v), span),
        setAttributes: (a: Record<string, unknown>) => (Object.assign(record.attributes, a), span),
        recordException: () => span,
        setStatus: (s: { message?: string }) => ((record.error = s.message), span),
        end: () => void (record.ended = true),
      };
      return fn(span as unknown as Span);
    },
  } as unknown as Tracer;
  return { tracer, spans };
}

test('each store call is one span with its batch size and outcomes', async () => {
  const { tracer, spans } = recordingTracer();
  const store = withTracing(createMemoryStore(), { tracer });
  await store.set([{ key: 'a', value: new Uint8Array([1]), tags: ['T'], ttlMs: 1000, fetchSeq: 0 }]);
  await store.invalidate(['U']);
  await store.get(['a', 'b']);
  assert.deepEqual(
    spans.map((s) => [s.name, s.attributes, s.ended]),
    [
      ['cachetag.store.set', { 'cachetag.entries': 1, 'cachetag.written': 1 }, true],
      ['cachetag.store.invalidate', { 'cachetag.tags': 1 }, true],
      ['cachetag.store.get', { 'cachetag.keys': 2, 'cachetag.hits': 1, 'cachetag.stale': 0, 'cachetag.absent': 1 }, true],
    ],
  );
});

test('a failing call ends its span with the error and still rejects', async () => {
  const { tracer, spans } = recordingTracer();
  const broken = { ...createMemoryStore(), get: (_keys: readonly string[]) => Promise.reject(new Error('down')) };
  const store = withTracing(broken, { tracer });
  await assert.rejects(store.get(['a']), /down/);
  assert.equal(spans[0]?.error, 'down');
  assert.equal(spans[0]?.ended, true);
});

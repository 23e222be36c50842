/**
 * OpenTelemetry tracing for any store, as a decorator: every batched call
 * becomes one span (`cachetag.store.get`, `.set`, `.invalidate`) with the
 * batch size and outcome counts as attributes. @opentelemetry/api is an
 * optional peer dependency: import `cachetag/opentelemetry` only if you use it.
 * Without a registered tracer provider the API's no-op tracer makes this free.
 */
import { SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { Store } from '../stores/types.js';

export interface TracingOptions {
  /** Default: `trace.getTracer('cachetag')`. */
  tracer?: Tracer;
}

/** Wraps a store so each of its calls is traced. */
export function withTracing<S extends Store>(store: S, options: TracingOptions = {}): S {
  const tracer = options.tracer ?? trace.getTracer('cachetag');
  function traced<T>(name: string, attributes: Record<string, number>, run: () => Promise<T>, describe: (result: T, span: Span) => void): Promise<T> {
    return tracer.startActiveSpan(name, { attributes }, async (span) => {
      try {
        const result = await run();
        describe(result, span);
        return result;
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    });
  }
  return Object.assign(Object.create(store) as S, {
    get: (keys: readonly string[]) =>
      traced(
        'cachetag.store.get',
        { 'cachetag.keys': keys.length },
        () => store.get(keys),
        (lookup, span) => {
          let hits = 0;
          let stale = 0;
          for (const value of lookup.values) {
            if (value === 'stale') stale++;
            else if (typeof value !== 'string') hits++;
          }
          span.setAttributes({ 'cachetag.hits': hits, 'cachetag.stale': stale, 'cachetag.absent': lookup.values.length - hits - stale });
        },
      ),
    set: (entries: Parameters<Store['set']>[0]) =>
      traced(
        'cachetag.store.set',
        { 'cachetag.entries': entries.length },
        () => store.set(entries),
        (written, span) => span.setAttribute('cachetag.written', written),
      ),
    invalidate: (tags: readonly string[]) =>
      traced(
        'cachetag.store.invalidate',
        { 'cachetag.tags': tags.length },
        () => store.invalidate(tags),
        () => undefined,
      ),
    close: () => store.close(),
  });
}

/**
 * Drives a read-only workload with autocannon's programmatic API: a fixed
 * number of keep-alive connections, each sending the next body as soon as
 * its previous answer arrived, for a fixed duration.
 */
import autocannon from 'autocannon';
import { LatencyRecorder } from '../lib/latency.js';
import { sampler, type WorkloadOptions, type WorkloadResult } from './types.js';

export async function runAutocannon(options: WorkloadOptions, nextBody: () => string): Promise<WorkloadResult> {
  const latencies = new LatencyRecorder();
  const errorSamples = sampler();
  let badAnswers = 0;

  let instance!: autocannon.Instance;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: `${options.baseUrl}/graphql`,
        connections: options.connections,
        pipelining: 1,
        duration: options.durationS,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            path: '/graphql',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({ ...request, body: nextBody() }),
            onResponse: (status, body) => {
              // GraphQL reports failures with a 200 and an `errors` member.
              if (status !== 200 || body.includes('"errors"')) {
                badAnswers++;
                errorSamples.add(`${status} ${body}`);
              }
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTimeMs: number) => latencies.record(responseTimeMs));
  const result = await finished;
  if (result.errors > 0) errorSamples.add(`${result.errors} connection errors (${result.timeouts} timeouts)`);

  return {
    requests: latencies.count,
    elapsedS: result.duration,
    latencyMs: latencies.summary(),
    errors: badAnswers + result.errors,
    errorSamples: errorSamples.samples,
    mutations: 0,
    checks: 0,
    staleReads: 0,
    staleSamples: [],
  };
}

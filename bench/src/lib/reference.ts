/**
 * Reference answers: the probe operations executed in process, without any
 * cache, on a fresh data source. A contender whose fresh answers differ from
 * these serves wrong data, whatever its speed.
 */
import { ApolloServer } from '@apollo/server';
import { isDeepStrictEqual } from 'node:util';
import { createDataSource } from '../dataSource.js';
import { catalogPageQuery, productPageQuery } from '../operations.js';
import { createBenchContext, peerDirectiveTypeDefs, resolvers, typeDefs, type BenchContext } from '../schema.js';

export interface Probe {
  readonly name: string;
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

export const probes: readonly Probe[] = [
  { name: 'product page 42', query: productPageQuery, variables: { id: '42' } },
  { name: 'catalogue page store 3 / garden', query: catalogPageQuery, variables: { storeId: '3', category: 'garden' } },
  { name: 'catalogue page store 3 / all', query: catalogPageQuery, variables: { storeId: '3', category: null } },
];

export async function referenceAnswers(): Promise<unknown[]> {
  const dataSource = createDataSource({ latencyMs: 0 });
  const server = new ApolloServer<BenchContext>({ typeDefs: [peerDirectiveTypeDefs, typeDefs], resolvers });
  await server.start();
  try {
    const answers: unknown[] = [];
    for (const probe of probes) {
      const response = await server.executeOperation({ query: probe.query, variables: probe.variables }, { contextValue: createBenchContext(dataSource) });
      if (response.body.kind !== 'single' || response.body.singleResult.errors) throw new Error(`reference execution of ${probe.name} failed`);
      // Through JSON, as a client sees it (graphql-js builds results on null-prototype objects).
      answers.push(JSON.parse(JSON.stringify(response.body.singleResult.data)));
    }
    return answers;
  } finally {
    await server.stop();
  }
}

/**
 * Asks each probe twice (a miss, then whatever the cache answers) and
 * returns one line per answer that differs from the reference.
 */
export async function compareWithReference(baseUrl: string, expected: readonly unknown[]): Promise<string[]> {
  const problems: string[] = [];
  for (let attempt = 1; attempt <= 2; attempt++) {
    for (const [index, probe] of probes.entries()) {
      const response = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: probe.query, variables: probe.variables }),
        signal: AbortSignal.timeout(10_000),
      });
      const answer = (await response.json()) as { data?: unknown; errors?: unknown };
      if (answer.errors !== undefined || !isDeepStrictEqual(answer.data, expected[index])) {
        problems.push(`${probe.name} (request ${attempt}) differs from the uncached reference: ${JSON.stringify(answer).slice(0, 200)}`);
      }
    }
  }
  return problems;
}

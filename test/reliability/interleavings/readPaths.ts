/**
 * The ways the explorer reads one item, each as an integration would: through the field tier alone (graphql's
 * execute), through the operation tier (a request scope, the operation lookup, execution on a miss, then the
 * operation fill, as the Apollo and Yoga plugins do), or first through the HTTP fast path (`storedResponse` with the
 * request's context, whose miss and sequence the operation lookup then reuses, as the drop-ins do).
 */
import { execute, parse, type GraphQLSchema } from 'graphql';
import { queryHash, type CacheTagAdapter } from '../../../src/index.js';

export const readPaths = ['field', 'operation', 'fastPath'] as const;
export type ReadPath = (typeof readPaths)[number];

/** Where a read's answer came from, so a violation says which tier served it. */
export type AnsweredBy = 'execution' | 'stored response (operation lookup)' | 'stored response (fast path)';

export interface ReadAnswer {
  version: number | undefined;
  errors?: unknown;
  answeredBy: AnsweredBy;
}

const READ_TEXT = 'query($id: ID!) { item(id: $id) { id version } }';
const READ = parse(READ_TEXT);
const READ_HASH = queryHash(READ_TEXT);

const versionOf = (data: unknown): number | undefined => (data as { item?: { version?: number } } | null | undefined)?.item?.version;

export async function readItem(adapter: CacheTagAdapter, schema: GraphQLSchema, path: ReadPath, id: string): Promise<ReadAnswer> {
  const variables = { id };
  if (path === 'field') {
    const answer = await execute({ schema, document: READ, variableValues: variables, contextValue: {} });
    return { version: versionOf(answer.data), errors: answer.errors, answeredBy: 'execution' };
  }
  const context = {};
  if (path === 'fastPath') {
    // Before the server runs, as the drop-ins do: a miss is remembered on the context with its sequence.
    const stored = await adapter.storedResponse({ query: READ_TEXT, variables }, context);
    if (stored) return { version: versionOf((JSON.parse(stored.body) as { data: unknown }).data), answeredBy: 'stored response (fast path)' };
  }
  adapter.beginRequest(context, { collectTags: true });
  const outcome = await adapter.lookupOperation(context, { schema, document: READ, operationName: null, variables, queryHash: READ_HASH });
  if (outcome.outcome === 'hit') return { version: versionOf(outcome.data), answeredBy: 'stored response (operation lookup)' };
  if (outcome.outcome === 'bypass') throw new Error(`the explorer's query should be eligible for the operation tier: ${outcome.reason}`);
  const answer = await execute({ schema, document: READ, variableValues: variables, contextValue: context });
  // The policy Apollo's rules give this query (Item's maxAge 300, PUBLIC), as the plugins pass it.
  adapter.fillOperation(context, answer, { maxAge: 300, scope: 'PUBLIC' });
  return { version: versionOf(answer.data), errors: answer.errors, answeredBy: 'execution' };
}

/**
 * Random and malformed directive usage: cache directives with random arguments (good, bad and hostile templates,
 * filters, scopes, ages, key fields) placed on random fields and types of a small schema. Each schema either is
 * rejected by graphql-js itself (a directive argument of the wrong GraphQL type), or by cachetag with a
 * `CacheTagSchemaError` whose every problem names an existing coordinate and the directive, or builds and then
 * answers a query twice (the second time from the cache, identically) and a mutation, without errors. Anything else
 * (another exception, an error in a response, a different second answer) is a failure.
 */
import { execute, parse, type GraphQLSchema } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { cacheDirectivesTypeDefs, CacheTagSchemaError, createCache, createMemoryStore } from '../../../src/index.js';
import { mulberry32 } from '../history/history.js';

export const directiveSchemas = (long: boolean): number => (long ? 2_000 : 250);

export interface DirectiveFuzzResult {
  schemas: number;
  rejectedByGraphql: number;
  rejectedByCachetag: number;
  built: number;
  failures: number;
  examples: string[];
}

const TEMPLATE_PIECES = [
  'A',
  'B',
  ':',
  '{$args.id}',
  '{$args.cat}',
  '{$args.nope}',
  '{$parent.id}',
  '{$parent.cat}',
  '{$result.id}',
  '{$unknown.x}',
  '{',
  '}',
  '{$args.}',
  '{$args.id',
  '$args.id}',
  'é',
  '\u0000',
  ' ',
  '%',
  '*',
  '{{$args.id}}',
  '{$parent.b.id}',
];
const FILTERS = [
  'cat',
  'id',
  'nope',
  'cat: $args.cat',
  'id: $args.id',
  'cat: $parent.cat',
  'b.id: $args.id',
  '',
  ':',
  'cat: $args.nope',
  'cat:',
  ': $args.cat',
  'cat: $result.cat',
  'cat: $args.cat: x',
];
const COORDINATES = ['Query.a', 'Query.list', 'Query.b', 'Mutation.m', 'A.b', 'A.cat', 'A.peers', 'B.label'];
const TYPES = ['A', 'B', 'Query'];

export async function fuzzDirectives(count: number, seed = 5): Promise<DirectiveFuzzResult> {
  const random = mulberry32(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(values: readonly T[]): T => values[int(values.length)]!;
  const template = (): string => Array.from({ length: 1 + int(4) }, () => pick(TEMPLATE_PIECES)).join('');
  const directive = (onType: boolean): string => {
    switch (int(onType ? 3 : 6)) {
      case 0:
        return `@cacheControl(${[
          random() < 0.8 ? `maxAge: ${pick(['0', '60', '-1', '2147483647', '1'])}` : '',
          random() < 0.4 ? `scope: ${pick(['PRIVATE', 'PUBLIC'])}` : '',
          random() < 0.2 ? 'inheritMaxAge: true' : '',
        ]
          .filter(Boolean)
          .join(', ')})`.replace('()', '');
      case 1:
        return `@cacheTag(format: ${JSON.stringify(template())})`;
      case 2:
        return onType ? `@cacheKey(fields: ${JSON.stringify(pick(['id', 'cat', 'nope', '', 'id cat', 'b { id }']))})` : '@cacheNull';
      case 3:
        return `@invalidates(format: ${JSON.stringify(template())})`;
      case 4:
        return `@listScope(filters: [${Array.from({ length: int(8) }, () => JSON.stringify(pick(FILTERS))).join(', ')}])`;
      default:
        return '@cacheNull';
    }
  };
  const result: DirectiveFuzzResult = { schemas: 0, rejectedByGraphql: 0, rejectedByCachetag: 0, built: 0, failures: 0, examples: [] };
  const fail = (text: string): void => {
    result.failures++;
    if (result.examples.length < 5) result.examples.push(text);
  };
  for (let n = 0; n < count; n++) {
    const on = new Map<string, string[]>();
    for (let i = 0, k = 1 + int(4); i < k; i++) {
      const onType = random() < 0.3;
      const target = onType ? pick(TYPES) : pick(COORDINATES);
      on.set(target, [...(on.get(target) ?? []), directive(onType)]);
    }
    const d = (target: string): string => (on.get(target) ?? []).join(' ');
    const sdl = `
      type Query {
        a(id: ID!, cat: String): A ${d('Query.a')}
        list(cat: String): [A!]! ${d('Query.list')}
        b(id: ID!): B ${d('Query.b')}
      }
      type Mutation { m(id: ID!): A ${d('Mutation.m')} }
      type A ${d('A')} { id: ID! cat: String ${d('A.cat')} b: B ${d('A.b')} peers: [A!]! ${d('A.peers')} }
      type B ${d('B')} { id: ID! label: String ${d('B.label')} }
    `;
    result.schemas++;
    let schema: GraphQLSchema;
    try {
      const row = (id: string) => ({ id, cat: 'c', b: { id: `b${id}`, label: 'l' } });
      schema = makeExecutableSchema({
        typeDefs: [cacheDirectivesTypeDefs, sdl],
        resolvers: {
          Query: {
            a: (_: unknown, { id }: { id: string }) => row(id),
            list: () => [row('1'), row('2')],
            b: (_: unknown, { id }: { id: string }) => ({ id, label: 'l' }),
          },
          Mutation: { m: (_: unknown, { id }: { id: string }) => row(id) },
          A: { peers: () => [row('3')] },
        },
      });
    } catch {
      result.rejectedByGraphql++;
      continue;
    }
    // A small store: the default one preallocates 100,000 slots twice (about 40 ms of CPU per cache), and each schema
    // stores a handful of entries.
    const store = createMemoryStore({ maxEntries: 1_000, maxTagVersions: 1_000 });
    const cache = createCache({ store, sessionId: () => 'session', logger: { warn: () => {} } });
    try {
      cache.instrumentSchema(schema);
    } catch (error) {
      if (!(error instanceof CacheTagSchemaError)) {
        fail(`${(error as Error).name}: ${(error as Error).message} for\n${sdl}`);
        continue;
      }
      result.rejectedByCachetag++;
      for (const problem of error.problems) {
        const [type, field] = problem.coordinate.split('.');
        const exists =
          type !== undefined &&
          schema.getType(type) !== undefined &&
          (field === undefined || field in ((schema.getType(type) as { getFields?: () => object }).getFields?.() ?? {}));
        if (!exists || !problem.message.includes(problem.coordinate) || !problem.directive)
          fail(`a problem that names no coordinate of the schema: ${JSON.stringify(problem)}`);
      }
      continue;
    }
    result.built++;
    await behave(schema, cache, sdl, fail);
  }
  return result;
}

const QUERY = parse('{ a(id: "1", cat: "c") { id cat b { id label } peers { id } } list(cat: "c") { id b { label } } b(id: "2") { label } }');
const MUTATION = parse('mutation { m(id: "1") { id cat } }');

/** A schema that built must answer without errors, the second time as the first. */
async function behave(schema: GraphQLSchema, cache: ReturnType<typeof createCache>, sdl: string, fail: (text: string) => void): Promise<void> {
  try {
    const first = await execute({ schema, document: QUERY, contextValue: {} });
    await cache.idle();
    const second = await execute({ schema, document: QUERY, contextValue: {} });
    const mutation = await execute({ schema, document: MUTATION, contextValue: {} });
    if (first.errors || second.errors || mutation.errors) fail(`errors ${JSON.stringify(first.errors ?? second.errors ?? mutation.errors)} for\n${sdl}`);
    else if (JSON.stringify(first.data) !== JSON.stringify(second.data)) fail(`the cached answer differs for\n${sdl}`);
  } catch (error) {
    fail(`threw ${(error as Error).message} for\n${sdl}`);
  }
}

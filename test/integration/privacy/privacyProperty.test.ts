/**
 * Issue 17, property: schemas with PRIVATE at random places (a field, an object type, an interface or union member,
 * a PRIVATE scalar, a dynamic hint, several levels deep, cached or not) and random interleavings of alice, bob and
 * anonymous requests: no response ever holds another user's data, and the fast path never answers any user's data.
 *
 * A resolver writes its user (`u:alice`) into a value only where the schema (or its own dynamic hint) says PRIVATE,
 * or below such a place; everywhere else it writes `public`, so a correct cache may share it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApolloServer } from '@apollo/server';
import fc from 'fast-check';
import type { GraphQLResolveInfo } from 'graphql';
import { createCache, createMemoryStore } from '../../../src/index.js';
import { createApolloPlugin } from '../../../src/apollo/index.js';
import { buildSchema } from '../../helpers/schema.js';

type Privacy = 'none' | 'field' | 'type' | 'member' | 'scalar' | 'dynamic';
interface Level {
  readonly kind: 'object' | 'interface' | 'union';
  readonly cached: boolean;
  readonly privacy: Privacy;
  /** Select the level's fields through a named fragment instead of inline. */
  readonly fragment: boolean;
}
interface Ctx {
  user?: string;
}
type Hinted = GraphQLResolveInfo & { cacheControl: { setCacheHint(hint: { scope: 'PRIVATE' }): void } };

const level = fc.record({
  kind: fc.constantFrom('object' as const, 'interface' as const, 'union' as const),
  cached: fc.boolean(),
  privacy: fc.constantFrom<Privacy>('none', 'none', 'field', 'type', 'member', 'scalar', 'dynamic'),
  fragment: fc.boolean(),
});
const user = fc.constantFrom('alice', 'bob', undefined);

/** The value's own data is per user. */
const privateSelf = (l: Level) => l.privacy === 'field' || l.privacy === 'type' || l.privacy === 'scalar' || (l.privacy === 'dynamic' && l.cached);
/** Everything below it is per user too (README: a cached field below PRIVATE data is keyed by the session). */
const privateBelow = (l: Level) => l.privacy === 'field' || l.privacy === 'type' || (l.privacy === 'dynamic' && l.cached);

function build(levels: readonly Level[]) {
  const sdl: string[] = [];
  const resolvers: Record<string, Record<string, unknown>> = { Query: {} };
  const concrete = (i: number) => (levels[i]!.kind === 'object' ? [`O${i}`] : [`A${i}`, `B${i}`]);
  levels.forEach((l, i) => {
    const last = i === levels.length - 1;
    const child = last ? '' : `child: ${typeName(i + 1)}${fieldDirective(levels[i + 1]!)}`;
    for (const name of concrete(i)) {
      const privateType = (l.privacy === 'type' && name !== `B${i}`) || (l.privacy === 'member' && name === `B${i}`);
      const implementsClause = l.kind === 'interface' ? ` implements I${i}` : '';
      sdl.push(
        `type ${name}${implementsClause}${privateType ? ' @cacheControl(scope: PRIVATE)' : ''} { id: ID! secret: String${l.privacy === 'scalar' ? ' @cacheControl(scope: PRIVATE)' : ''} ${child} }`,
      );
      if (!last) resolvers[name] = { child: resolverOf(i + 1) };
    }
    if (l.kind === 'interface') sdl.push(`interface I${i} { id: ID! }`);
    if (l.kind === 'union') sdl.push(`union U${i} = A${i} | B${i}`);
    if (l.kind !== 'object') resolvers[typeName(i)] = { __resolveType: (value: { __typename: string }) => value.__typename };
  });
  sdl.push(`type Query { root: ${typeName(0)}${fieldDirective(levels[0]!)} }`);
  resolvers.Query!.root = resolverOf(0);

  function typeName(i: number) {
    const l = levels[i]!;
    return l.kind === 'object' ? `O${i}` : l.kind === 'interface' ? `I${i}` : `U${i}`;
  }
  function fieldDirective(l: Level) {
    const scope = l.privacy === 'field' ? ', scope: PRIVATE' : '';
    if (l.cached) return ` @cacheControl(maxAge: 60${scope})`;
    return scope ? ' @cacheControl(scope: PRIVATE)' : '';
  }
  function resolverOf(i: number) {
    const l = levels[i]!;
    const below = levels.slice(0, i).some(privateBelow);
    return (_: unknown, __: unknown, ctx: Ctx, info: Hinted) => {
      if (l.privacy === 'dynamic') info.cacheControl.setCacheHint({ scope: 'PRIVATE' });
      return { __typename: concrete(i)[0], id: `L${i}`, secret: privateSelf(l) || below ? `u:${ctx.user}` : 'public' };
    };
  }
  const fragments: string[] = [];
  function selection(i: number): string {
    if (i === levels.length) return '';
    const fields = `id secret ${i + 1 < levels.length ? `child { ${selection(i + 1)} }` : ''}`;
    const onType = levels[i]!.kind === 'object' ? `O${i}` : `A${i}`;
    const selected = levels[i]!.fragment ? (fragments.push(`fragment F${i} on ${onType} { ${fields} }`), `...F${i}`) : fields;
    return levels[i]!.kind === 'object' ? selected : `__typename ... on A${i} { ${selected} } ... on B${i} { id }`;
  }
  const query = `{ root { ${selection(0)} } }\n${fragments.join('\n')}`;
  return { typeDefs: sdl.join('\n'), resolvers, query };
}

test('no response ever holds another user’s data, whatever the schema says PRIVATE where (10,000 requests)', async () => {
  let requests = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(level, { minLength: 1, maxLength: 4 }),
      fc.array(user, { minLength: 200, maxLength: 200 }),
      fc.boolean(),
      fc.constantFrom('apollo' as const, 'cachetag' as const),
      fc.integer({ min: 1, max: 4 }),
      async (generated, users, operationCache, cacheControl, concurrency) => {
        // cachetag computes the policy itself and refuses dynamic hints: there PRIVATE must be declared.
        const levels = cacheControl === 'apollo' ? generated : generated.map((l) => (l.privacy === 'dynamic' ? { ...l, privacy: 'none' as const } : l));
        const { typeDefs, resolvers, query } = build(levels);
        const cache = createCache({ store: createMemoryStore(), sessionId: (ctx) => (ctx as Ctx).user, strict: true });
        const server = new ApolloServer<Ctx>({
          schema: buildSchema(typeDefs, resolvers),
          plugins: [createApolloPlugin(cache, { operationCache, cacheControl })],
        });
        await server.start();
        try {
          // Requests in groups of `concurrency` at once, so concurrent misses share (or refuse to share) flights.
          for (let start = 0; start < users.length; start += concurrency) {
            await Promise.all(
              users.slice(start, start + concurrency).map(async (who) => {
                requests++;
                const response = await server.executeOperation({ query }, { contextValue: who ? { user: who } : {} });
                const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
                assert.equal(body?.errors, undefined, JSON.stringify(body?.errors));
                const seen = JSON.stringify(body?.data).match(/u:\w+/g) ?? [];
                for (const marker of seen) assert.equal(marker, `u:${who}`, `${who ?? 'anonymous'} got ${marker}\n${typeDefs}\n${query}`);
              }),
            );
            await cache.idle();
            const stored = await cache.storedResponse({ query });
            assert.ok(!stored || !/u:\w+/.test(stored.body), `the fast path answered user data: ${stored?.body}\n${typeDefs}`);
          }
        } finally {
          await server.stop();
        }
      },
    ),
    { numRuns: 50 },
  );
  assert.equal(requests, 10_000);
});

/**
 * PRIVATE isolation under interleaving: several cache instances (each its own Apollo Server and plugin, with the
 * operation tier and the HTTP fast path) share one store and answer interleaved requests of several users and of
 * anonymous clients. Every per-user value carries its owner, so a response holding another user's value (or any
 * user's value for an anonymous client) is a cross-user response. The shapes cover a PRIVATE root field, a scope
 * decided by the concrete type behind an interface and behind a union, aliases, fragments and variables.
 */
import { ApolloServer } from '@apollo/server';
import { cacheDirectivesTypeDefs, createCache, type Store } from '../../../src/index.js';
import { createApolloPlugin } from '../../../src/apollo/index.js';
import { mulberry32 } from '../history/history.js';

const typeDefs = `
  interface Node { id: ID! }
  type Query {
    me: Account @cacheControl(maxAge: 300, scope: PRIVATE)
    node(id: ID!): Node @cacheControl(maxAge: 300)
    feed: [FeedEntry!]! @cacheControl(maxAge: 300)
    post(id: ID!): Post
  }
  type Account @cacheControl(maxAge: 300, scope: PRIVATE) { id: ID! owner: String! notes: [Note!]! }
  type Post implements Node @cacheControl(maxAge: 300) { id: ID! title: String! }
  type Note implements Node @cacheControl(maxAge: 300, scope: PRIVATE) { id: ID! owner: String! }
  union FeedEntry = Post | Note
`;

interface Context {
  userId?: string;
}

const resolvers = {
  Query: {
    me: (_: unknown, __: unknown, { userId }: Context) => (userId ? { id: `account-${userId}`, owner: userId } : null),
    // The concrete type decides: `note` is the caller's own note (PRIVATE), anything else a public post.
    node: (_: unknown, { id }: { id: string }, { userId }: Context) =>
      id === 'note' ? (userId ? { __typename: 'Note', id: `note-${userId}`, owner: userId } : null) : { __typename: 'Post', id, title: `post ${id}` },
    feed: (_: unknown, __: unknown, { userId }: Context) => [
      { __typename: 'Post', id: 'p1', title: 'post p1' },
      ...(userId ? [{ __typename: 'Note', id: `note-${userId}`, owner: userId }] : []),
    ],
    post: (_: unknown, { id }: { id: string }) => ({ id, title: `post ${id}` }),
  },
  Account: { notes: (account: { owner: string }) => [{ id: `note-${account.owner}`, owner: account.owner }] },
};

/** Query shapes: each selects per-user data in a different way. */
export const PRIVATE_SHAPES: { query: string; variables?: Record<string, unknown> }[] = [
  { query: '{ me { id owner } }' },
  { query: '{ mine: me { owner } other: me { id notes { owner } } }' },
  { query: 'query { me { ...A } } fragment A on Account { owner notes { ...N } } fragment N on Note { id owner }' },
  { query: 'query($id: ID!) { node(id: $id) { id ... on Note { owner } ... on Post { title } } }', variables: { id: 'note' } },
  { query: 'query($id: ID!) { node(id: $id) { id ... on Note { owner } ... on Post { title } } }', variables: { id: 'p1' } },
  { query: '{ n: node(id: "note") { ... on Note { who: owner } } }' },
  { query: '{ feed { ... on Post { id title } ... on Note { id owner } } }' },
  { query: '{ feed { __typename ...E } } fragment E on Note { owner }' },
  { query: '{ post(id: "p1") { title } me { owner } }' },
];

export const isolationRequests = (long: boolean): number => (long ? 10_000 : 2_000);

export interface IsolationResult {
  requests: number;
  /** Responses holding a value owned by another user (or by anyone, for an anonymous request). */
  crossUser: number;
  /** Responses with GraphQL errors. */
  failed: number;
  /** Requests answered by the fast path (PUBLIC responses only). */
  storedAnswers: number;
  /** Requests answered by the operation tier, summed over instances (`stats().operationHits`). */
  operationHits: number;
  /** Field hits, summed over instances. */
  fieldHits: number;
  examples: string[];
}

export async function runPrivateIsolation(options: {
  store: Store;
  instances: number;
  requests: number;
  users?: number;
  seed?: number;
}): Promise<IsolationResult> {
  const random = mulberry32(options.seed ?? 3);
  const users = Array.from({ length: options.users ?? 5 }, (_, i) => `user${i + 1}`);
  const instances = await Promise.all(
    Array.from({ length: options.instances }, async () => {
      const cache = createCache({ store: options.store, sessionId: (context) => (context as Context).userId, logger: { warn: () => {} } });
      const plugin = createApolloPlugin<Context>(cache);
      const apollo = new ApolloServer<Context>({ typeDefs: [cacheDirectivesTypeDefs, typeDefs], resolvers, plugins: [plugin] });
      await apollo.start();
      return { cache, plugin, apollo };
    }),
  );
  const result: IsolationResult = { requests: 0, crossUser: 0, failed: 0, storedAnswers: 0, operationHits: 0, fieldHits: 0, examples: [] };
  let remaining = options.requests;
  const worker = async (): Promise<void> => {
    while (remaining-- > 0) {
      const { plugin, apollo } = instances[Math.floor(random() * instances.length)]!;
      const shape = PRIVATE_SHAPES[Math.floor(random() * PRIVATE_SHAPES.length)]!;
      const userId = random() < 0.15 ? undefined : users[Math.floor(random() * users.length)];
      const context: Context = userId ? { userId } : {};
      let body: { data?: unknown; errors?: unknown };
      const stored = await plugin.storedResponse({ query: shape.query, variables: shape.variables ?? {} }, context);
      if (stored) {
        body = JSON.parse(stored.body) as typeof body;
        result.storedAnswers++;
      } else {
        const response = await apollo.executeOperation({ query: shape.query, variables: shape.variables ?? {} }, { contextValue: context });
        body = (response.body as { singleResult: typeof body }).singleResult;
      }
      result.requests++;
      if (body.errors) {
        result.failed++;
        if (result.examples.length < 5) result.examples.push(`errors for ${userId}: ${JSON.stringify(body.errors)}`);
      }
      const owners = new Set<string>();
      collectOwners(body.data, owners);
      const foreign = [...owners].filter((owner) => owner !== userId);
      if (foreign.length > 0) {
        result.crossUser++;
        if (result.examples.length < 5)
          result.examples.push(`${userId ?? 'anonymous'} got ${foreign.join(', ')}'s data: ${shape.query} → ${JSON.stringify(body.data)}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: 24 }, worker));
  } finally {
    for (const { apollo, cache } of instances) {
      await apollo.stop();
      await cache.idle();
      result.operationHits += cache.stats().operationHits;
      result.fieldHits += cache.stats().hits;
    }
  }
  return result;
}

/** Every per-user value in a response: `owner` and `who` fields, and the user part of `account-`/`note-` ids. */
function collectOwners(value: unknown, owners: Set<string>): void {
  if (Array.isArray(value)) for (const item of value) collectOwners(item, owners);
  else if (value && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) {
      if (typeof member === 'string') {
        if (key === 'owner' || key === 'who') owners.add(member);
        const match = /^(?:account|note)-(.+)$/.exec(member);
        if (match) owners.add(match[1]!);
      } else collectOwners(member, owners);
    }
  }
}

/**
 * The schema of the lease tests: one cached field whose resolver takes 100 ms, so that concurrent misses on one cold
 * key overlap, and counts its runs through `onRun` (a lease is working when it ran once).
 */
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from './schema.js';

export function slowOrgSchema(onRun: () => void): GraphQLSchema {
  return buildSchema(`type Query { org(id: ID!): Org @cacheControl(maxAge: 60) } type Org @cacheKey(fields: "id") { id: ID! name: String }`, {
    Query: {
      org: async (_: unknown, { id }: { id: string }) => {
        onRun();
        await new Promise((resolve) => setTimeout(resolve, 100));
        return { id, name: `org ${id}` };
      },
    },
  });
}

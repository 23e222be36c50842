/**
 * One resolver call of an instrumented field, as one object: what graphql-js passed (source, args, context, info),
 * the field's plan and its schema's plan, and the resolver to run, so the engine's components take one argument.
 */
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import type { CachePlan, FieldPlan } from './plan.js';

export type Resolver = GraphQLFieldResolver<unknown, unknown>;

export interface FieldCall {
  /** The plan of the schema being executed. */
  readonly cachePlan: CachePlan;
  /** The plan of the field being resolved. */
  readonly plan: FieldPlan;
  /** The user's resolver (graphql-js's default resolver when the field has none). */
  readonly resolve: Resolver;
  readonly source: unknown;
  readonly args: Record<string, unknown>;
  readonly context: unknown;
  readonly info: GraphQLResolveInfo;
}

/** Runs the user's resolver of a call. */
export function runResolver(call: FieldCall): unknown {
  return call.resolve(call.source, call.args, call.context, call.info);
}

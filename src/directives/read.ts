/**
 * Reads directive arguments from schema elements, coercing them with our own
 * directive definitions through graphql-js's `getDirectiveValues`, and turns
 * every mistake into a {@link SchemaProblem} instead of dropping it (a
 * mistyped `maxage:` must be reported, not ignored).
 *
 * Directives are read from the SDL (`astNode` and `extensionASTNodes`) and,
 * for code-first schemas, from `extensions.directives` (the graphql-tools
 * convention: `{ cacheControl: { maxAge: 60 } }` or an array of such).
 */
import {
  getDirectiveValues,
  getLocation,
  print,
  valueFromAST,
  type ConstDirectiveNode,
  type GraphQLDirective,
  type GraphQLField,
  type GraphQLNamedType,
} from 'graphql';
import type { SchemaProblem, SourceLocation } from '../errors.js';
import { didYouMean } from '../internal/didYouMean.js';

/** One use of a directive with its coerced arguments. */
export interface DirectiveUse {
  readonly values: Readonly<Record<string, unknown>>;
  readonly location?: SourceLocation;
}

type Element = GraphQLNamedType | GraphQLField<unknown, unknown>;

/** Reads every use of `directive` on `element`; problems are appended to `problems`. */
export function readDirective(element: Element, directive: GraphQLDirective, coordinate: string, problems: SchemaProblem[]): DirectiveUse[] {
  const uses: DirectiveUse[] = [];
  const astNodes = [element.astNode, ...(('extensionASTNodes' in element ? element.extensionASTNodes : undefined) ?? [])];
  for (const astNode of astNodes) {
    for (const node of astNode?.directives ?? []) {
      if (node.name.value !== directive.name) continue;
      const values = coerce(node, directive, coordinate, problems);
      if (values) uses.push({ values, location: locationOf(node) });
    }
  }
  const fromExtensions = (element.extensions as { directives?: Record<string, unknown> } | undefined)?.directives?.[directive.name];
  if (fromExtensions !== undefined) {
    for (const values of Array.isArray(fromExtensions) ? fromExtensions : [fromExtensions]) {
      if (values !== null && typeof values === 'object') uses.push({ values: values as Record<string, unknown> });
    }
  }
  return uses;
}

function coerce(node: ConstDirectiveNode, directive: GraphQLDirective, coordinate: string, problems: SchemaProblem[]): Record<string, unknown> | undefined {
  const location = locationOf(node);
  const known = directive.args.map((a) => a.name);
  let ok = true;
  for (const argNode of node.arguments ?? []) {
    const name = argNode.name.value;
    const definition = directive.args.find((a) => a.name === name);
    if (!definition) {
      ok = false;
      problems.push({
        coordinate,
        directive: directive.name,
        location,
        message: `${coordinate}: @${directive.name} has no argument "${name}"; expected ${known.length ? `one of ${known.map((k) => `"${k}"`).join(', ')}` : 'no arguments'}.${didYouMean(name, known)}`,
      });
      continue;
    }
    if (valueFromAST(argNode.value, definition.type) === undefined) {
      ok = false;
      problems.push({
        coordinate,
        directive: directive.name,
        location,
        message: `${coordinate}: @${directive.name}(${name}:) expects a value of type ${String(definition.type)}; received ${print(argNode.value)}.`,
      });
    }
  }
  for (const definition of directive.args) {
    if (String(definition.type).endsWith('!') && definition.defaultValue === undefined && !node.arguments?.some((a) => a.name.value === definition.name)) {
      ok = false;
      problems.push({
        coordinate,
        directive: directive.name,
        location,
        message: `${coordinate}: @${directive.name} needs the argument "${definition.name}" (${String(definition.type)}); it is missing.`,
      });
    }
  }
  if (!ok) return undefined;
  // Safe: every argument was checked above, so coercion cannot throw here.
  return getDirectiveValues(directive, { directives: [node] }) ?? {};
}

function locationOf(node: ConstDirectiveNode): SourceLocation | undefined {
  if (!node.loc) return undefined;
  const { line, column } = getLocation(node.loc.source, node.loc.start);
  const source = node.loc.source.name;
  return source && source !== 'GraphQL request' ? { line, column, source } : { line, column };
}

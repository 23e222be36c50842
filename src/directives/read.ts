/**
 * Reads directive arguments from schema elements, coercing them with our own
 * directive definitions through graphql-js's `getDirectiveValues`, and turns
 * every mistake into a {@link SchemaProblem} instead of dropping it (a
 * mistyped `maxage:` must be reported, not ignored).
 *
 * Directives are read from the SDL (`astNode` and `extensionASTNodes`) and,
 * for code-first schemas, from `extensions.directives` (the graphql-tools
 * convention: `{ cacheControl: { maxAge: 60 } }` or an array of such), under
 * the names the schema's `@link`s give them (see `link.ts`).
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
import { defaultDirectiveNames, type DirectiveNames } from './link.js';

/** One use of a directive with its coerced arguments. */
export interface DirectiveUse {
  /** The directive's name as written (`federation__cacheTag`), for messages. */
  readonly name: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly location?: SourceLocation;
}

type Element = GraphQLNamedType | GraphQLField<unknown, unknown>;

/**
 * Reads every use of `directive` on `element`, under every local name that
 * `names` maps to it; problems are appended to `problems`.
 */
export function readDirective(
  element: Element,
  directive: GraphQLDirective,
  coordinate: string,
  problems: SchemaProblem[],
  names: DirectiveNames = defaultDirectiveNames,
): DirectiveUse[] {
  const uses: DirectiveUse[] = [];
  const astNodes = [element.astNode, ...(('extensionASTNodes' in element ? element.extensionASTNodes : undefined) ?? [])];
  for (const astNode of astNodes) {
    for (const node of astNode?.directives ?? []) {
      if (names.get(node.name.value) !== directive.name) continue;
      const values = coerce(node, directive, coordinate, problems);
      if (values) uses.push({ name: node.name.value, values, location: locationOf(node) });
    }
  }
  const extensions = (element.extensions as { directives?: Record<string, unknown> } | undefined)?.directives ?? {};
  for (const [name, fromExtensions] of Object.entries(extensions)) {
    if (names.get(name) !== directive.name) continue;
    for (const values of Array.isArray(fromExtensions) ? fromExtensions : [fromExtensions]) {
      if (values !== null && typeof values === 'object') uses.push({ name, values: values as Record<string, unknown> });
    }
  }
  return uses;
}

function coerce(node: ConstDirectiveNode, directive: GraphQLDirective, coordinate: string, problems: SchemaProblem[]): Record<string, unknown> | undefined {
  const location = locationOf(node);
  const written = node.name.value;
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
        message: `${coordinate}: @${written} has no argument "${name}"; expected ${known.length ? `one of ${known.map((k) => `"${k}"`).join(', ')}` : 'no arguments'}.${didYouMean(name, known)}`,
      });
      continue;
    }
    if (valueFromAST(argNode.value, definition.type) === undefined) {
      ok = false;
      problems.push({
        coordinate,
        directive: directive.name,
        location,
        message: `${coordinate}: @${written}(${name}:) expects a value of type ${String(definition.type)}; received ${print(argNode.value)}.`,
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
        message: `${coordinate}: @${written} needs the argument "${definition.name}" (${String(definition.type)}); it is missing.`,
      });
    }
  }
  if (!ok) return undefined;
  // Safe: every argument was checked above, so coercion cannot throw here.
  // getDirectiveValues finds the node by the definition's name, so a renamed use is handed over under that name.
  const named = node.name.value === directive.name ? node : { ...node, name: { ...node.name, value: directive.name } };
  return getDirectiveValues(directive, { directives: [named] }) ?? {};
}

function locationOf(node: ConstDirectiveNode): SourceLocation | undefined {
  if (!node.loc) return undefined;
  const { line, column } = getLocation(node.loc.source, node.loc.start);
  const source = node.loc.source.name;
  return source && source !== 'GraphQL request' ? { line, column, source } : { line, column };
}

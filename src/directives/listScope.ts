/**
 * `@listScope(filters: [...])`: which arguments of a list field filter its
 * items by which item fields. Each filter is
 * - `"storeId"`: the item field `storeId` equals the argument `storeId`;
 * - `"storeId: $args.store"` or `"category: $args.filter.category"`: an
 *   item field (path) equals an argument (path);
 * - `"storeId: $parent.id"`: an item field equals a field of the parent
 *   object (for lists below an entity: `Store.products`).
 *
 * The item type is the list's named type, or the node type of a Relay-style
 * connection (`edges { node }` or `nodes`).
 */
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLLeafType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import type { SchemaProblem, SourceLocation } from '../errors.js';
import { didYouMean, quotedList } from '../internal/didYouMean.js';
import type { ListFilter, ListScope } from './model.js';

export type { ListFilter, ListScope } from './model.js';

/** Filters beyond this many would make 2^n tags per changed entity. */
export const MAX_LIST_FILTERS = 6;

interface Context {
  readonly schema: GraphQLSchema;
  readonly type: GraphQLObjectType;
  readonly field: GraphQLField<unknown, unknown>;
  readonly coordinate: string;
  readonly isRoot: boolean;
  readonly location: SourceLocation | undefined;
}

/** Compiles one `@listScope` use; problems are appended. */
export function compileListScope(filters: unknown, context: Context, problems: SchemaProblem[]): ListScope | undefined {
  const report = (message: string) =>
    problems.push({
      coordinate: context.coordinate,
      directive: 'listScope',
      location: context.location,
      message: `${context.coordinate}: @listScope ${message}`,
    });
  const items = itemsOf(context.field.type);
  if (!items) {
    report(
      `is only allowed on fields that return a list or a connection (edges { node } or nodes); ${context.coordinate} returns ${String(context.field.type)}.`,
    );
    return undefined;
  }
  const list = Array.isArray(filters) ? (filters as unknown[]) : [];
  if (list.length === 0) {
    report('needs at least one filter, such as filters: ["storeId"].');
    return undefined;
  }
  if (list.length > MAX_LIST_FILTERS) {
    report(`has ${list.length} filters; at most ${MAX_LIST_FILTERS} are supported (a changed item invalidates 2^n list tags).`);
    return undefined;
  }
  const compiled: ListFilter[] = [];
  let ok = true;
  for (const raw of list) {
    const text = String(raw);
    const match =
      /^\s*([_A-Za-z][_0-9A-Za-z]*(?:\.[_A-Za-z][_0-9A-Za-z]*)*)\s*(?::\s*(\$[A-Za-z]+)\.([_A-Za-z][_0-9A-Za-z]*(?:\.[_A-Za-z][_0-9A-Za-z]*)*)\s*)?$/.exec(
        text,
      );
    if (!match) {
      report(`filter ${JSON.stringify(text)} is not valid; expected "itemField", "itemField: $args.argument" or "itemField: $parent.field".`);
      ok = false;
      continue;
    }
    const itemPath = match[1]!.split('.');
    const source = match[2] ?? '$args';
    const sourcePath = match[3] ? match[3].split('.') : itemPath;
    if (source !== '$args' && source !== '$parent') {
      report(`filter ${JSON.stringify(text)} uses ${source}; expected $args or $parent.${didYouMean(source, ['$args', '$parent'])}`);
      ok = false;
      continue;
    }
    if (source === '$parent' && context.isRoot) {
      report(
        `filter ${JSON.stringify(text)} uses $parent, but ${context.coordinate} is a field of the root type ${context.type.name}, which has no parent value.`,
      );
      ok = false;
      continue;
    }
    const itemLeaf = outputLeaf(items.type, itemPath);
    if (typeof itemLeaf === 'string') {
      report(`filter ${JSON.stringify(text)}: ${itemLeaf}`);
      ok = false;
      continue;
    }
    const sourceLeaf = source === '$args' ? argumentLeaf(context, sourcePath) : outputLeaf(context.type, sourcePath);
    if (typeof sourceLeaf === 'string') {
      report(`filter ${JSON.stringify(text)}: ${sourceLeaf}`);
      ok = false;
      continue;
    }
    if (!compatible(itemLeaf, sourceLeaf)) {
      report(
        `filter ${JSON.stringify(text)} compares ${source === '$args' ? 'argument' : 'parent field'} "${sourcePath.join('.')}" (${sourceLeaf.name}) with item field "${itemPath.join('.')}" (${itemLeaf.name}); their types must match.`,
      );
      ok = false;
      continue;
    }
    compiled.push({ itemPath, source, sourcePath, itemType: itemLeaf as GraphQLLeafType, sourceType: sourceLeaf as GraphQLLeafType });
  }
  return ok ? { coordinate: context.coordinate, itemType: items.type.name, shape: items.shape, filters: compiled } : undefined;
}

/** The item type of a list or connection type. */
export function itemsOf(type: GraphQLOutputType): { type: GraphQLNamedType & (GraphQLObjectType | { name: string }); shape: ListScope['shape'] } | undefined {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const named = getNamedType(nullable);
    return isObjectType(named) || isInterfaceType(named) || isUnionType(named) ? { type: named, shape: 'list' } : undefined;
  }
  if (!isObjectType(nullable)) return undefined;
  const fields = nullable.getFields();
  const edges = fields.edges && getNamedType(fields.edges.type);
  if (edges && isListType(getNullableType(fields.edges!.type)) && isObjectType(edges) && edges.getFields().node) {
    const node = getNamedType(edges.getFields().node!.type);
    if (isObjectType(node) || isInterfaceType(node) || isUnionType(node)) return { type: node, shape: 'edges' };
  }
  if (fields.nodes && isListType(getNullableType(fields.nodes.type))) {
    const node = getNamedType(fields.nodes.type);
    if (isObjectType(node) || isInterfaceType(node) || isUnionType(node)) return { type: node, shape: 'nodes' };
  }
  return undefined;
}

function outputLeaf(type: GraphQLNamedType, path: readonly string[]): GraphQLNamedType | string {
  let named: GraphQLNamedType = type;
  const walked: string[] = [];
  for (const segment of path) {
    if (!isObjectType(named) && !isInterfaceType(named)) return `"${walked.join('.')}" is a ${named.name}, which has no field "${segment}".`;
    const fields = Object.keys(named.getFields());
    const next = named.getFields()[segment];
    if (!next) return `${named.name} has no field "${segment}"; expected one of ${quotedList(fields)}.${didYouMean(segment, fields)}`;
    if (isListType(getNullableType(next.type))) return `"${[...walked, segment].join('.')}" is a list; a filter compares single values.`;
    named = getNamedType(next.type);
    walked.push(segment);
  }
  if (!isLeafType(named))
    return `"${walked.join('.')}" is the object type ${named.name}; a filter compares scalar or enum values, such as "${walked.join('.')}.id".`;
  return named;
}

function argumentLeaf(context: Context, path: readonly string[]): GraphQLNamedType | string {
  const [first, ...rest] = path as [string, ...string[]];
  const names = context.field.args.map((a) => a.name);
  const arg = context.field.args.find((a) => a.name === first);
  if (!arg) {
    return names.length
      ? `${context.coordinate} has no argument "${first}"; expected one of ${quotedList(names)}.${didYouMean(first, names)}`
      : `${context.coordinate} has no argument "${first}" (it takes no arguments).`;
  }
  let type: GraphQLInputType = arg.type;
  const walked = [first];
  for (const segment of rest) {
    const named = getNamedType(type);
    if (!isInputObjectType(named)) return `"${walked.join('.')}" is a ${named.name}, which has no field "${segment}".`;
    const fields = Object.keys(named.getFields());
    const next = named.getFields()[segment];
    if (!next) return `input type ${named.name} has no field "${segment}"; expected one of ${quotedList(fields)}.${didYouMean(segment, fields)}`;
    type = next.type;
    walked.push(segment);
  }
  if (isListType(getNullableType(type))) return `argument "${walked.join('.')}" is a list; a filter compares single values.`;
  const named = getNamedType(type);
  if (!isLeafType(named)) return `argument "${walked.join('.')}" is the input object ${named.name}; a filter compares scalar or enum values.`;
  return named;
}

function compatible(item: GraphQLNamedType, source: GraphQLNamedType): boolean {
  if (item.name === source.name) return true;
  if (isEnumType(item) || isEnumType(source)) return false;
  // An ID is serialized as a string or an integer: it compares with either.
  const idLike = new Set(['ID', 'String', 'Int']);
  return (item.name === 'ID' && idLike.has(source.name)) || (source.name === 'ID' && idLike.has(item.name));
}

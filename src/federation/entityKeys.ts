/**
 * The `@key`s of a subgraph entity type, and which of them a representation (`{ __typename, ...key fields }`) names.
 * A representation is cached only when it carries every field of one resolvable key, each of the key field's type as
 * the router serializes it; anything else goes to the reference resolver untouched, so the subgraph answers it as it
 * would without cachetag.
 */
import {
  getNamedType,
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  GraphQLString,
  isEnumType,
  isInterfaceType,
  isLeafType,
  isObjectType,
  isScalarType,
  parse,
  type GraphQLInterfaceType,
  type GraphQLLeafType,
  type GraphQLObjectType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { SchemaProblem } from '../errors.js';
import { readDirective } from '../directives/read.js';
import { federationKeyDirective } from '../directives/sdl.js';
import type { DirectiveNames } from '../directives/link.js';

/** One leaf of a key: its path in the representation and its type. */
export interface KeyLeaf {
  readonly path: readonly string[];
  readonly type: GraphQLLeafType;
}

/** One `@key` of an entity type. */
export interface EntityKey {
  /** The `fields` selection as written. */
  readonly fields: string;
  readonly leaves: readonly KeyLeaf[];
  /** `@key(resolvable: false)`: this subgraph only references the entity by this key and never resolves it. */
  readonly resolvable: boolean;
}

/**
 * Every well-formed `@key` of a type, in declaration order, under the names the schema's `@link`s give it (a renamed
 * `@primaryKey`, `@federation__key`); malformed ones are the validator's to report.
 */
export function entityKeysOf(type: GraphQLObjectType | GraphQLInterfaceType, names: DirectiveNames): EntityKey[] {
  const problems: SchemaProblem[] = [];
  const keys: EntityKey[] = [];
  for (const use of readDirective(type, federationKeyDirective, type.name, problems, names)) {
    const fields = String(use.values.fields ?? '');
    let selectionSet: SelectionSetNode;
    try {
      selectionSet = (parse(`{${fields}}`, { noLocation: true }).definitions[0] as OperationDefinitionNode).selectionSet;
    } catch {
      continue;
    }
    const leaves: KeyLeaf[] = [];
    if (collectLeaves(type, selectionSet, [], leaves) && leaves.length > 0) keys.push({ fields, leaves, resolvable: use.values.resolvable !== false });
  }
  return keys;
}

function collectLeaves(type: GraphQLObjectType | GraphQLInterfaceType, selectionSet: SelectionSetNode, prefix: string[], leaves: KeyLeaf[]): boolean {
  for (const selection of selectionSet.selections) {
    if (selection.kind !== 'Field') return false;
    const field = type.getFields()[selection.name.value];
    if (!field) return false;
    const named = getNamedType(field.type);
    const path = [...prefix, selection.name.value];
    if (selection.selectionSet) {
      if (!isObjectType(named) && !isInterfaceType(named)) return false;
      if (!collectLeaves(named, selection.selectionSet, path, leaves)) return false;
    } else if (isLeafType(named)) {
      leaves.push({ path, type: named });
    } else {
      return false;
    }
  }
  return true;
}

/** The first resolvable key whose every field the representation carries with a value of the field's type. */
export function matchKey(keys: readonly EntityKey[], representation: Record<string, unknown>): EntityKey | undefined {
  return keys.find((key) => key.resolvable && key.leaves.every((leaf) => isKeyValue(leaf.type, readPath(representation, leaf.path))));
}

/**
 * Whether a value is one the router could send for a key field of this type: the serialized form (an ID is a string
 * or an integer, an Int an integer, an enum one of its names). Nothing is coerced: `42` and `"42"` are two
 * representations, each answered by the resolver as it would answer it.
 */
function isKeyValue(type: GraphQLLeafType, value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (type === GraphQLID) return (typeof value === 'string' && value.length > 0) || Number.isInteger(value);
  if (type === GraphQLString) return typeof value === 'string' && value.length > 0;
  if (type === GraphQLInt) return Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31;
  if (type === GraphQLFloat) return typeof value === 'number' && Number.isFinite(value);
  if (type === GraphQLBoolean) return typeof value === 'boolean';
  if (isEnumType(type)) return typeof value === 'string' && type.getValue(value) !== undefined;
  if (isScalarType(type)) {
    // A custom scalar: what its parseValue accepts, and only a value that can make a tag segment.
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return false;
    try {
      return type.parseValue(value) !== undefined;
    } catch {
      return false;
    }
  }
  return false;
}

function readPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const segment of path)
    current = current !== null && typeof current === 'object' && !Array.isArray(current) ? (current as Record<string, unknown>)[segment] : undefined;
  return current;
}

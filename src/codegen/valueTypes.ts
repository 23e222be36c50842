/**
 * How the values a tag is made of are typed in the generated TypeScript: the
 * parameter objects of the builders (nested like the GraphQL values they are
 * read from) and the template literal type of each tag segment.
 */
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLType,
} from 'graphql';
import { byCodeUnits, quote } from './source.js';

/** A scalar or enum value read into a tag segment. */
export interface LeafType {
  /** The TypeScript type a builder accepts: `string | number` for an ID. */
  readonly ts: string;
  /** What the segment looks like, inside `${...}` of a template literal type: `string`, `number`, `'RED' | 'BLUE'`. */
  readonly segment: string;
}

/**
 * The TypeScript type of a custom scalar's value: whatever the engine turns
 * into a segment (strings are escaped, the rest goes through `String()`).
 * The generated module declares it as `TagSegmentValue`.
 */
export const segmentValueType = 'string | number | bigint | boolean';

/**
 * The type of a leaf value. IDs accept numbers as well as strings, as GraphQL
 * does on input; enums take their value names (the engine sees internal
 * values instead when resolvers map an enum to other values).
 */
export function leafType(type: GraphQLNamedType): LeafType {
  switch (type.name) {
    case 'ID':
      return { ts: 'string | number', segment: 'string' };
    case 'String':
      return { ts: 'string', segment: 'string' };
    case 'Int':
    case 'Float':
      return { ts: 'number', segment: 'number' };
    case 'Boolean':
      return { ts: 'boolean', segment: 'boolean' };
  }
  if (isEnumType(type)) {
    // Sorted: graphql-codegen may hand over a sorted schema, and the output must not depend on it.
    const names = type
      .getValues()
      .map((v) => v.name)
      .sort(byCodeUnits)
      .map(quote);
    const union = names.length > 0 ? names.join(' | ') : 'never';
    return { ts: union, segment: union };
  }
  return { ts: 'TagSegmentValue', segment: 'string' };
}

/** The segment type of several leaves (one variable read on several fields): the widest of them. */
export function unionSegment(leaves: readonly LeafType[]): string {
  const members = [...new Set(leaves.map((l) => l.segment))];
  return members.includes('string') ? 'string' : members.join(' | ');
}

/** One step of a path through GraphQL values: the field read and whether it holds a list. */
export interface PathStep {
  readonly name: string;
  readonly list: boolean;
}

/** A path resolved against the schema: its steps and the leaf type it ends on. */
export interface TypedPath {
  readonly steps: readonly PathStep[];
  readonly leaf: LeafType;
}

/** True when a field of this type holds a list (at any depth of nesting; the engine reads one level). */
export function holdsList(type: GraphQLType): boolean {
  return isListType(getNullableType(type));
}

/**
 * Resolves a field path below a type (input object, object or interface).
 * The path was checked by the validator, so every segment exists and the
 * last one is a scalar or an enum.
 */
export function typedPath(start: GraphQLType, path: readonly string[]): TypedPath {
  let named = getNamedType(start);
  const steps: PathStep[] = [];
  for (const name of path) {
    const field = fieldsOf(named)[name];
    if (!field) throw new Error(`cachetag internal error: ${named.name} has no field "${name}" although the validator accepted the path ${path.join('.')}`);
    steps.push({ name, list: holdsList(field.type) });
    named = getNamedType(field.type);
  }
  return { steps, leaf: leafType(named) };
}

/** Resolves `{$args.name...}` on a field: the argument, then input object fields. */
export function typedArgumentPath(field: GraphQLField<unknown, unknown>, path: readonly string[]): TypedPath {
  const [name, ...rest] = path;
  const arg = field.args.find((a) => a.name === name);
  if (!arg || name === undefined) throw new Error(`cachetag internal error: ${field.name} has no argument "${String(name)}"`);
  const below = typedPath(arg.type, rest);
  return { steps: [{ name, list: holdsList(arg.type) }, ...below.steps], leaf: below.leaf };
}

function fieldsOf(type: GraphQLNamedType): Readonly<Record<string, { readonly type: GraphQLType }>> {
  return isInputObjectType(type) || isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
}

/** The parameter object of a builder, as a tree of the properties it reads. */
export class ParamTree {
  private readonly children = new Map<string, { list: boolean; node: ParamTree | LeafType }>();

  /** Adds a path; paths that share a prefix share the objects along it. */
  add(steps: readonly PathStep[], leaf: LeafType): void {
    const [first, ...rest] = steps;
    if (!first) return;
    const existing = this.children.get(first.name);
    if (rest.length === 0) {
      this.children.set(first.name, { list: first.list, node: leaf });
      return;
    }
    const node = existing && existing.node instanceof ParamTree ? existing.node : new ParamTree();
    this.children.set(first.name, { list: first.list, node });
    node.add(rest, leaf);
  }

  /** The TypeScript type: `{ readonly id: string | number; readonly organization: { readonly id: ... } }`. */
  render(): string {
    const members = [...this.children].map(([name, { list, node }]) => {
      const type = node instanceof ParamTree ? node.render() : node.ts;
      const element = type.includes('|') && !type.startsWith('{') ? `(${type})` : type;
      return `readonly ${name}: ${list ? `readonly ${element}[]` : type}`;
    });
    return `{ ${members.join('; ')} }`;
  }
}

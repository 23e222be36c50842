/**
 * Arguments rendered for a key through their schema types. Custom scalars may parse input into class instances
 * (a `URL`, a `Date`, an `ObjectId`, a `Map`) whose own properties say nothing of their value; the scalar's
 * `serialize` does, so every such value is keyed by what its scalar serializes it to, and enum values by their names.
 */
import { isEnumType, isInputObjectType, isListType, isNonNullType, type GraphQLArgument, type GraphQLInputType } from 'graphql';
import { CacheTagError } from '../errors.js';
import { canonicalize, MAX_KEY_DEPTH } from './key.js';

/**
 * The canonical rendering of a field's coerced arguments, walked with their types (lists, input objects, enums,
 * scalars). Throws `UNKEYABLE_VALUE` when a value cannot be rendered: its scalar's `serialize` throws (an invalid
 * Date) or returns something other than plain data, or it is nested too deeply. The engine then serves the field
 * uncached.
 */
export function canonicalArguments(definitions: readonly GraphQLArgument[], args: Readonly<Record<string, unknown>>): string {
  if (definitions.length === 0) return '{}';
  const plain: Record<string, unknown> = {};
  for (const definition of definitions) {
    const value = args[definition.name];
    if (value !== undefined) plain[definition.name] = toPlain(definition.type, value, 0);
  }
  return canonicalize(plain);
}

function toPlain(type: GraphQLInputType, value: unknown, depth: number): unknown {
  if (value === null || value === undefined) return value;
  if (depth >= MAX_KEY_DEPTH) throw unkeyable(`an argument nested more than ${MAX_KEY_DEPTH} levels deep`);
  if (isNonNullType(type)) return toPlain(type.ofType, value, depth);
  if (isListType(type)) {
    return Array.isArray(value) ? value.map((item: unknown) => toPlain(type.ofType, item, depth + 1)) : toPlain(type.ofType, value, depth);
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object') throw unkeyable(`a value of the input type ${type.name} that is not an object`);
    const plain: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      const member = (value as Record<string, unknown>)[field.name];
      if (member !== undefined) plain[field.name] = toPlain(field.type, member, depth + 1);
    }
    return plain;
  }
  // Primitives identify themselves; anything else is identified by what its scalar (or enum) writes in a response.
  if (typeof value !== 'object' && typeof value !== 'function' && !isEnumType(type)) return value;
  try {
    return type.serialize(value);
  } catch (error) {
    throw unkeyable(`a ${type.name} argument its serialize() rejects (${error instanceof Error ? error.message : String(error)})`);
  }
}

function unkeyable(what: string): CacheTagError {
  return new CacheTagError('UNKEYABLE_VALUE', `A key cannot be made of ${what}; the field was served uncached.`);
}

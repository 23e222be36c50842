import { CacheTagError, describeValue } from '../errors.js';

/** Nesting deeper than this is treated as unserializable (it is almost always a cycle through arrays). */
export const MAX_VALUE_DEPTH = 64;

/**
 * Throws `UNSERIALIZABLE_VALUE` unless `value` survives an encode/decode
 * round trip unchanged: primitives, plain objects, arrays, Dates and byte
 * arrays. msgpackr would silently turn a function into `undefined` and a
 * class instance into a plain object whose prototype getters are gone, and
 * a cached result that differs from the fresh one is the one bug a cache must
 * never have, so we refuse instead and the engine serves the value uncached.
 */
export function assertEncodable(value: unknown, describe: () => string): void {
  const problem = findUnencodable(value, '', 0, new Set());
  if (problem !== undefined) {
    throw new CacheTagError(
      'UNSERIALIZABLE_VALUE',
      `${describe()} returned a value that cachetag cannot cache: ${problem}. Return plain objects, arrays and scalars (Dates and byte arrays are fine); the value was served uncached.`,
    );
  }
}

function findUnencodable(value: unknown, path: string, depth: number, ancestors: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return undefined;
    case 'function':
    case 'symbol':
      return `${at(path)} holds ${describeValue(value)}`;
  }
  if (value === null) return undefined;
  const object = value as object;
  if (object instanceof Date || object instanceof Uint8Array) return undefined;
  if (depth >= MAX_VALUE_DEPTH) return `${at(path)} is nested more than ${MAX_VALUE_DEPTH} levels deep`;
  if (ancestors.has(object)) return `${at(path)} is a circular reference`;
  const isArray = Array.isArray(object);
  if (!isArray) {
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) return `${at(path)} holds ${describeValue(object)}`;
  }
  ancestors.add(object);
  try {
    if (isArray) {
      const array = object as unknown[];
      for (let i = 0; i < array.length; i++) {
        const found = findUnencodable(array[i], `${path}[${i}]`, depth + 1, ancestors);
        if (found !== undefined) return found;
      }
    } else {
      for (const key of Object.keys(object)) {
        const found = findUnencodable((object as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth + 1, ancestors);
        if (found !== undefined) return found;
      }
    }
  } finally {
    ancestors.delete(object);
  }
  return undefined;
}

function at(path: string): string {
  return path ? `"${path}"` : 'the value';
}

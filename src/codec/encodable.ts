/**
 * Which values the codec returns identical: a cached result that differs from the fresh one is the one bug a cache
 * must never have, so anything else is refused here and the engine serves it uncached (with one warning).
 */
import { CacheTagError, describeValue } from '../errors.js';

/** Nesting deeper than this is treated as unserializable (it is almost always a cycle through arrays). */
export const MAX_VALUE_DEPTH = 64;

/**
 * How many more nodes than a value holds its encoding may write because sub-objects are reached more than once (a
 * DAG: msgpack writes a shared object again at every reference), at least: the allowance is the value's own size
 * when that is larger. A value where each level references the one below twice doubles per level; past this, it is
 * refused (`VALUE_TOO_LARGE`) after a walk that costs the value's own size, instead of an encoding that costs
 * 2^depth.
 */
export const MAX_SHARED_EXPANSION = 100_000;

/**
 * Throws `UNSERIALIZABLE_VALUE` unless `value` survives an encode/decode round trip unchanged: primitives, plain
 * objects, arrays, Dates and Buffers, and `VALUE_TOO_LARGE` when shared sub-objects would make its encoding far
 * larger than the value (see {@link MAX_SHARED_EXPANSION}).
 *
 * Refused, because msgpackr would return something else: functions and symbols (`undefined`); class instances (a
 * plain object without its prototype's getters); Uint8Arrays that are not Buffers and Date subclasses (a Buffer, a
 * Date or the subclass's `toJSON` string); Dates with own properties; sparse arrays (holes become `undefined`); own
 * `__proto__` keys (renamed); strings and keys with lone surrogates (replaced by U+FFFD); non-enumerable and symbol
 * properties (dropped); -0 (0); cycles. Objects with a null prototype are accepted: they come back as plain objects. A property whose reading throws (an ORM relation that was not loaded) is refused too,
 * never thrown: a value the cache cannot read is served uncached.
 */
export function assertEncodable(value: unknown, describe: () => string): void {
  const state: WalkState = { seen: new Map(), distinct: 0 };
  let result: number | string;
  try {
    result = check(value, '', 0, state);
  } catch (error) {
    // A Proxy trap or an accessor outside the places read under their own try: refused all the same.
    result = `reading the value threw (${error instanceof Error ? error.message : String(error)})`;
  }
  if (typeof result === 'string') {
    throw new CacheTagError(
      'UNSERIALIZABLE_VALUE',
      `${describe()} returned a value that cachetag cannot cache: ${result}. Return plain objects, arrays and scalars (Dates and Buffers are fine); the value was served uncached.`,
    );
  }
  const written = sizeOf(result);
  if (written - state.distinct > Math.max(MAX_SHARED_EXPANSION, state.distinct)) {
    throw new CacheTagError(
      'VALUE_TOO_LARGE',
      `${describe()} returned a value whose shared sub-objects (the same object under several properties) would be encoded once per reference: ${written > 1e15 ? 'more than 10^15' : written} nodes for ${state.distinct} distinct ones. It was served uncached; return a tree, or only what the schema selects.`,
    );
  }
}

interface WalkState {
  /** Objects met: -1 while being walked (meeting one again then is a cycle), else its packed size and height. */
  readonly seen: Map<object, number>;
  /** Nodes walked, each once: the value's own size. */
  distinct: number;
}

// A walk result packs the size of a node's subtree as msgpack writes it (shared objects counted once per reference)
// with its height in objects: size * HEIGHT_SPAN + height. Sizes are capped so the packing stays exact.
const HEIGHT_SPAN = 128;
const MAX_COUNTED_SIZE = 2 ** 40;
const LEAF = 1 * HEIGHT_SPAN;
const pack = (size: number, height: number) => Math.min(size, MAX_COUNTED_SIZE) * HEIGHT_SPAN + height;
const sizeOf = (packed: number) => Math.floor(packed / HEIGHT_SPAN);
const heightOf = (packed: number) => packed % HEIGHT_SPAN;

/** The packed size and height of `value`, or what makes it unencodable. */
function check(value: unknown, path: string, depth: number, state: WalkState): number | string {
  state.distinct++;
  switch (typeof value) {
    case 'string':
      return isWellFormed(value) ? LEAF : `${at(path)} holds a string with a lone surrogate (it would come back with U+FFFD in its place)`;
    case 'number':
      return value !== 0 || 1 / value > 0 ? LEAF : `${at(path)} holds -0 (it would come back as 0)`;
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return LEAF;
    case 'function':
    case 'symbol':
      return `${at(path)} holds ${describeValue(value)}`;
  }
  if (value === null) return LEAF;
  const object = value as object;
  const proto = Object.getPrototypeOf(object) as unknown;
  if (object instanceof Date) {
    if (proto !== Date.prototype) return `${at(path)} holds ${describeValue(object)} (it would come back as a plain Date)`;
    if (Reflect.ownKeys(object).length > 0) return `${at(path)} holds a Date with properties of its own (they would be dropped)`;
    return LEAF;
  }
  if (object instanceof Uint8Array) {
    if (proto !== Buffer.prototype) return `${at(path)} holds ${describeValue(object)} (it would come back as a Buffer, whose JSON differs): return a Buffer`;
    return LEAF;
  }
  const known = state.seen.get(object);
  if (known !== undefined) {
    if (known < 0) return `${at(path)} is a circular reference`;
    // Shared, not circular: walked already; msgpack writes it again here, so it counts again, without a second walk.
    state.distinct--;
    if (depth + heightOf(known) > MAX_VALUE_DEPTH) return `${at(path)} is nested more than ${MAX_VALUE_DEPTH} levels deep`;
    return known;
  }
  if (depth >= MAX_VALUE_DEPTH) return `${at(path)} is nested more than ${MAX_VALUE_DEPTH} levels deep`;
  const isArray = Array.isArray(object);
  if (isArray ? proto !== Array.prototype : proto !== Object.prototype && proto !== null) return `${at(path)} holds ${describeValue(object)}`;
  state.seen.set(object, -1);
  let size = 1;
  let height = 0;
  if (isArray) {
    const array = object as unknown[];
    for (let i = 0; i < array.length; i++) {
      const item = read(array as unknown as Record<number, unknown>, i);
      if (item === UNREADABLE) return `${at(`${path}[${i}]`)} threw when read (${unreadableMessage})`;
      if (item === undefined && !(i in array)) return `${at(path)} is a sparse array (its holes would come back as undefined)`;
      const found = check(item, `${path}[${i}]`, depth + 1, state);
      if (typeof found === 'string') return found;
      size += sizeOf(found);
      if (heightOf(found) > height) height = heightOf(found);
    }
  } else {
    const keys = Object.keys(object);
    if (Reflect.ownKeys(object).length !== keys.length) return `${at(path)} has ${hiddenProperty(object)} (it would be dropped)`;
    for (const key of keys) {
      const member = path ? `${path}.${key}` : key;
      if (key === '__proto__') return `${at(member)} is an own "__proto__" property (it would come back renamed)`;
      if (!isWellFormed(key)) return `${at(member)} is a key with a lone surrogate (it would come back with U+FFFD in its place)`;
      const item = read(object as Record<string, unknown>, key);
      if (item === UNREADABLE) return `${at(member)} threw when read (${unreadableMessage})`;
      const found = check(item, member, depth + 1, state);
      if (typeof found === 'string') return found;
      size += sizeOf(found) + 1;
      if (heightOf(found) > height) height = heightOf(found);
    }
  }
  const packed = pack(size, height + 1);
  state.seen.set(object, packed);
  return packed;
}

const UNREADABLE = Symbol('unreadable');
let unreadableMessage = '';

/** A property, or UNREADABLE when its accessor throws (an ORM relation that was not loaded). */
function read(object: Record<string | number, unknown>, key: string | number): unknown {
  try {
    return object[key];
  } catch (error) {
    unreadableMessage = error instanceof Error ? error.message : String(error);
    return UNREADABLE;
  }
}

function hiddenProperty(object: object): string {
  const symbol = Object.getOwnPropertySymbols(object)[0];
  if (symbol !== undefined) return `the symbol property ${String(symbol)}`;
  const hidden = Object.getOwnPropertyNames(object).find((name) => !Object.prototype.propertyIsEnumerable.call(object, name));
  return `the non-enumerable property "${hidden}"`;
}

/** `String.prototype.isWellFormed` (Node 20), which the ES2023 typings do not declare yet. */
function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

function at(path: string): string {
  return path ? `"${path}"` : 'the value';
}

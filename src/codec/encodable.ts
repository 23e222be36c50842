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
  let result: number | Problem;
  try {
    result = check(value, 0, state);
  } catch (error) {
    // A Proxy trap throwing somewhere the walk does not expect it: refused all the same.
    result = { path: [], what: `reading it threw (${messageOf(error)})` };
  }
  if (typeof result !== 'number') {
    throw new CacheTagError(
      'UNSERIALIZABLE_VALUE',
      `${describe()} returned a value that cachetag cannot cache: ${at(result.path)} ${result.what}. Return plain objects, arrays and scalars (Dates and Buffers are fine); the value was served uncached.`,
    );
  }
  const written = sizeOf(result);
  if (written - state.distinct > Math.max(MAX_SHARED_EXPANSION, state.distinct)) {
    throw new CacheTagError(
      'VALUE_TOO_LARGE',
      `${describe()} returned a value whose shared sub-objects (the same object under several properties) would be encoded once per reference: ${written >= MAX_COUNTED_SIZE ? `more than ${MAX_COUNTED_SIZE}` : written} nodes for ${state.distinct} distinct ones. It was served uncached; return a tree, or only what the schema selects.`,
    );
  }
}

interface WalkState {
  /** Objects met: -1 while being walked (meeting one again then is a cycle), else its packed size and height. */
  readonly seen: Map<object, number>;
  /** Nodes walked, each once: the value's own size. */
  distinct: number;
}

/** What makes a value unencodable, and where: the path is collected (innermost first) only once a problem is found. */
interface Problem {
  readonly path: (string | number)[];
  readonly what: string;
}

// A walk result packs the size of a node's subtree as msgpack writes it (shared objects counted once per reference)
// with its height in objects: size * HEIGHT_SPAN + height. Sizes are capped so the packing stays exact.
const HEIGHT_SPAN = 128;
const MAX_COUNTED_SIZE = 2 ** 40;
const LEAF = 1 * HEIGHT_SPAN;
const pack = (size: number, height: number) => Math.min(size, MAX_COUNTED_SIZE) * HEIGHT_SPAN + height;
const sizeOf = (packed: number) => Math.floor(packed / HEIGHT_SPAN);
const heightOf = (packed: number) => packed % HEIGHT_SPAN;
const problem = (what: string): Problem => ({ path: [], what });

/** The packed size and height of `value`, or what makes it unencodable. */
function check(value: unknown, depth: number, state: WalkState): number | Problem {
  state.distinct++;
  switch (typeof value) {
    case 'string':
      return isWellFormed(value) ? LEAF : problem('holds a string with a lone surrogate (it would come back with U+FFFD in its place)');
    case 'number':
      return value !== 0 || 1 / value > 0 ? LEAF : problem('holds -0 (it would come back as 0)');
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return LEAF;
    case 'function':
    case 'symbol':
      return problem(`holds ${describeValue(value)}`);
  }
  if (value === null) return LEAF;
  const object = value as object;
  const proto = Object.getPrototypeOf(object) as unknown;
  if (object instanceof Date) {
    if (proto !== Date.prototype) return problem(`holds ${describeValue(object)} (it would come back as a plain Date)`);
    if (Reflect.ownKeys(object).length > 0) return problem('holds a Date with properties of its own (they would be dropped)');
    return LEAF;
  }
  if (object instanceof Uint8Array) {
    return proto === Buffer.prototype ? LEAF : problem(`holds ${describeValue(object)} (it would come back as a Buffer, whose JSON differs): return a Buffer`);
  }
  const known = state.seen.get(object);
  if (known !== undefined) {
    if (known < 0) return problem('is a circular reference');
    // Shared, not circular: walked already; msgpack writes it again here, so it counts again, without a second walk.
    state.distinct--;
    return depth + heightOf(known) > MAX_VALUE_DEPTH ? problem(`is nested more than ${MAX_VALUE_DEPTH} levels deep`) : known;
  }
  if (depth >= MAX_VALUE_DEPTH) return problem(`is nested more than ${MAX_VALUE_DEPTH} levels deep`);
  const isArray = Array.isArray(object);
  if (isArray ? proto !== Array.prototype : proto !== Object.prototype && proto !== null) return problem(`holds ${describeValue(object)}`);
  state.seen.set(object, -1);
  let size = 1;
  let height = 0;
  let at: string | number = '';
  try {
    if (isArray) {
      const array = object as unknown[];
      for (let i = 0; i < array.length; i++) {
        at = i;
        const item = array[i];
        if (item === undefined && !(i in array)) return problem('is a sparse array (its holes would come back as undefined)');
        const found = check(item, depth + 1, state);
        if (typeof found !== 'number') return (found.path.push(i), found);
        size += sizeOf(found);
        if (heightOf(found) > height) height = heightOf(found);
      }
    } else {
      const keys = Object.keys(object);
      // Own keys beyond the enumerable string ones are symbols or non-enumerable names. Counted with the two calls,
      // not Reflect.ownKeys: that one takes V8's slow key collection, and was two thirds of this walk on a bench value.
      if (Object.getOwnPropertySymbols(object).length !== 0 || Object.getOwnPropertyNames(object).length !== keys.length)
        return problem(`has ${hiddenProperty(object)} (it would be dropped)`);
      for (const key of keys) {
        at = key;
        if (key === '__proto__') return { path: [key], what: 'is an own "__proto__" property (it would come back renamed)' };
        if (!isWellFormed(key)) return { path: [key], what: 'is a key with a lone surrogate (it would come back with U+FFFD in its place)' };
        const found = check((object as Record<string, unknown>)[key], depth + 1, state);
        if (typeof found !== 'number') return (found.path.push(key), found);
        size += sizeOf(found) + 1;
        if (heightOf(found) > height) height = heightOf(found);
      }
    }
  } catch (error) {
    // An accessor that throws (an ORM relation that was not loaded): the value cannot be read, so it is not cached.
    return { path: [at], what: `threw when read (${messageOf(error)})` };
  }
  const packed = pack(size, height + 1);
  state.seen.set(object, packed);
  return packed;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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

/** `"a.b[0]"` for a path collected innermost first, `the value` for the root. */
function at(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'the value';
  let text = '';
  for (let i = path.length - 1; i >= 0; i--) {
    const segment = path[i]!;
    text += typeof segment === 'number' ? `[${segment}]` : text ? `.${segment}` : segment;
  }
  return `"${text}"`;
}

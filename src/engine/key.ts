/**
 * Entry keys. A key identifies one resolver result: the schema (by hash), the
 * field coordinate, the parent's identity, the arguments and the scope. The
 * variable part is hashed, so user strings (ids, arguments, session ids)
 * never become raw store keys and keys stay short whatever the arguments.
 */
import { hash as cryptoHash } from 'node:crypto';
import { CacheTagError, describeValue } from '../errors.js';

/** Nesting deeper than this cannot be keyed (variables 20,000 levels deep would otherwise overflow the stack). */
export const MAX_KEY_DEPTH = 128;

/**
 * A canonical, order-independent rendering of a value: object keys sorted,
 * `undefined` members dropped, type-tagged scalars, so `{a:1,b:2}` and
 * `{b:2,a:1}` agree and `1` and `"1"` do not. Renders primitives, arrays,
 * plain objects, valid Dates and byte arrays; throws `UNKEYABLE_VALUE` for
 * anything else (a class instance, a Map, an invalid Date: their enumerable
 * properties do not identify them, so two different ones would share a key)
 * and past {@link MAX_KEY_DEPTH} levels.
 */
export function canonicalize(value: unknown): string {
  return render(value, 0);
}

function render(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : `#${String(value)}`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return `${value}n`;
    case 'undefined':
      return 'undefined';
    case 'function':
    case 'symbol':
      throw unkeyable(`${typeof value}`);
  }
  if (value === null) return 'null';
  if (depth >= MAX_KEY_DEPTH) throw unkeyable(`a value nested more than ${MAX_KEY_DEPTH} levels deep`);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + render(value[i], depth + 1);
    return `${out}]`;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw unkeyable('an invalid Date');
    return `Date(${value.toISOString()})`;
  }
  if (value instanceof Uint8Array) return `Bytes(${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')})`;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw unkeyable(describeValue(value));
  const object = value as Record<string, unknown>;
  // Built in one pass, without the intermediate arrays of filter/map/join: every operation lookup keys its variables.
  const keys = Object.keys(object);
  if (keys.length > 1) keys.sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${render(item, depth + 1)}`;
    first = false;
  }
  return `${out}}`;
}

function unkeyable(what: string): CacheTagError {
  return new CacheTagError('UNKEYABLE_VALUE', `A key cannot be made of ${what}; the value was served uncached.`);
}

/** What a key is made of. */
export interface KeyParts {
  readonly schemaHash: string;
  readonly coordinate: string;
  /** `Product:42` for an entity parent, `''` for a root field, a canonical rendering of the parent otherwise. */
  readonly parentIdentity: string;
  readonly args: Readonly<Record<string, unknown>>;
  /** `args` already rendered canonically (through the argument types, see `canonicalArguments`); used instead of `args`. */
  readonly argsKey?: string;
  /** `'PUBLIC'`, or `'PRIVATE:' + sessionId`. */
  readonly scope: string;
}

/** The store key: `Query.product:` followed by a 32-character hash of the parts. */
export function entryKey(parts: KeyParts): string {
  // crypto.hash (one shot) is about twice as fast as createHash().update()... for inputs this small.
  const hash = cryptoHash(
    'sha256',
    `${parts.schemaHash}\0${parts.parentIdentity}\0${parts.argsKey ?? canonicalize(parts.args)}\0${parts.scope}`,
    'base64url',
  ).slice(0, 32);
  return `${parts.coordinate}:${hash}`;
}

/** A readable rendering of the parts, for debug output only (it contains user values). */
export function describeKey(parts: KeyParts): string {
  const args = parts.argsKey ?? canonicalize(parts.args);
  return `${parts.coordinate}${args === '{}' ? '' : args}${parts.parentIdentity ? ` of ${parts.parentIdentity}` : ''}${parts.scope === 'PUBLIC' ? '' : ' (PRIVATE)'}`;
}

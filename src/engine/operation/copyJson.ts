/**
 * A deep copy of a value made by `JSON.parse`, sharing its strings (which cannot change): each operation-tier hit
 * hands the server objects of its own, which its plugins may change, at a third of the cost of parsing the stored text
 * again (a catalogue page: about 7 µs against 20 µs). Only for JSON values: plain objects, arrays and primitives.
 */

/**
 * Copies `value` as `JSON.parse(JSON.stringify(value))` would for a parsed JSON value: same own keys in the same
 * order, `__proto__` kept as an own key (as `JSON.parse` makes it) rather than setting the prototype.
 * Throws a RangeError where nesting exceeds the stack, as `JSON.stringify` would.
 */
export function copyJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const length = value.length;
    const out: unknown[] = new Array(length);
    for (let i = 0; i < length; i++) out[i] = copyJson(value[i]);
    return out;
  }
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const keys = Object.keys(source);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    // An assignment to __proto__ would set the prototype: JSON.parse makes it an own property, so does the copy.
    if (key === '__proto__') Object.defineProperty(out, key, { value: copyJson(source[key]), enumerable: true, writable: true, configurable: true });
    else out[key] = copyJson(source[key]);
  }
  return out;
}

/**
 * A deep copy of a value made by `JSON.parse`, sharing its strings (which cannot change): each operation-tier hit
 * hands the server objects of its own, which its plugins may change, at a fraction of the cost of parsing the stored
 * text again (a catalogue page: about 3 µs against 15-20 µs). Only for JSON values: plain objects, arrays and
 * primitives.
 */

/**
 * Copies `value` as `JSON.parse(JSON.stringify(value))` would for a parsed JSON value: same own keys in the same
 * order, `__proto__` kept as an own key (as `JSON.parse` makes it) rather than setting the prototype.
 * Throws a RangeError where nesting exceeds the stack, as `JSON.stringify` would.
 */
export function copyJson(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? copyObject(value) : value;
}

function copyObject(value: object): unknown {
  if (Array.isArray(value)) {
    const length = value.length;
    const out: unknown[] = new Array(length);
    for (let i = 0; i < length; i++) {
      const item: unknown = value[i];
      out[i] = typeof item === 'object' && item !== null ? copyObject(item) : item;
    }
    return out;
  }
  // A spread copies the own keys in order at once (objects parsed from one response share their shape, which V8
  // then copies wholesale, several times faster than adding the keys one by one); only nested objects are replaced.
  // It defines `__proto__` as an own key, as JSON.parse does.
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(out);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = out[key];
    if (typeof item !== 'object' || item === null) continue;
    // An assignment to an own __proto__ would still be safe, but define it: the intent is an own key, never the prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: copyObject(item), enumerable: true, writable: true, configurable: true });
    else out[key] = copyObject(item);
  }
  return out;
}

/**
 * The one way cachetag reads a property of a user's value (tag templates, list filters, entity keys): one rule on
 * inherited properties, so `{$parent.id}`, a list filter and an entity's key agree on what a value holds.
 *
 * The rule: a property the object has itself, or gets from a prototype of its own (a class getter on an ORM entity),
 * counts; one only Object.prototype provides (`constructor`, `toString`, `__proto__`) does not, so a path can never
 * reach the language's own members; an accessor that throws reads as undefined (an unloaded relation is missing).
 */

/** The property `key` of `value` by the rule above; undefined for a non-object. */
export function readProperty(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  if (key in Object.prototype && !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** Follows `path` from `root`, one {@link readProperty} per segment. */
export function readPath(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = readProperty(value, segment);
  }
  return value;
}

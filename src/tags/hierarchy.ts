/**
 * Tags are `:`-separated paths (`Org:1:stores:2`). Invalidating a tag
 * invalidates every entry tagged with it or with anything below it, so an
 * entry depends on each of its tags *and all their ancestors*. Expanding the
 * ancestors once, when the entry is written, is what keeps invalidation a
 * single write whatever the number of entries.
 */
import { CacheTagError, describeValue } from '../errors.js';

/** The separator between the segments of a tag path. */
export const TAG_SEPARATOR = ':';

/** The longest tag accepted, in characters; longer tags are almost always a bug (an object interpolated whole). */
export const MAX_TAG_LENGTH = 1024;

/** True when `tag` is a non-empty path without empty segments. */
export function isValidTag(tag: unknown): tag is string {
  if (typeof tag !== 'string' || tag.length === 0 || tag.length > MAX_TAG_LENGTH) return false;
  if (tag.startsWith(TAG_SEPARATOR) || tag.endsWith(TAG_SEPARATOR)) return false;
  return !tag.includes(TAG_SEPARATOR + TAG_SEPARATOR);
}

/** Throws `INVALID_TAG` unless `tag` is a valid tag path. */
export function assertValidTag(tag: unknown): asserts tag is string {
  if (!isValidTag(tag)) {
    throw new CacheTagError(
      'INVALID_TAG',
      `Invalid tag ${describeValue(tag)}: a tag is a non-empty string of at most ${MAX_TAG_LENGTH} characters made of ":"-separated, non-empty segments, such as "Product:42" or "Org:1:stores".`,
    );
  }
}

/**
 * The tag and its ancestors, shortest first: `Org:1:stores` gives
 * `Org`, `Org:1`, `Org:1:stores`.
 */
export function ancestorsAndSelf(tag: string): string[] {
  const out: string[] = [];
  let index = tag.indexOf(TAG_SEPARATOR);
  while (index !== -1) {
    out.push(tag.slice(0, index));
    index = tag.indexOf(TAG_SEPARATOR, index + 1);
  }
  out.push(tag);
  return out;
}

/** Every tag of `tags` with all its ancestors, deduplicated, in a stable order. */
export function expandTags(tags: Iterable<string>): string[] {
  const seen = new Set<string>();
  // ancestorsAndSelf inlined: no array per tag (every fill expands its tags).
  for (const tag of tags) {
    for (let index = tag.indexOf(TAG_SEPARATOR); index !== -1; index = tag.indexOf(TAG_SEPARATOR, index + 1)) seen.add(tag.slice(0, index));
    seen.add(tag);
  }
  return [...seen];
}

/**
 * Escapes a value interpolated into a tag so that it stays one segment:
 * `%` becomes `%25` and `:` becomes `%3A` (as in URLs), so an id such as
 * `a:b` can never pose as a deeper path.
 */
export function escapeTagSegment(value: string): string {
  if (!value.includes('%') && !value.includes(':')) return value;
  return value.replace(/%/g, '%25').replace(/:/g, '%3A');
}

/**
 * The segment a scalar value makes in a tag: strings escaped, numbers,
 * big integers and booleans as written; undefined for anything else (null,
 * objects) and for the empty string, which would make an empty segment.
 */
export function valueSegment(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value.length === 0 ? undefined : escapeTagSegment(value);
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      return undefined;
  }
}

/** Joins typename and key values into an entity tag: `Product:42`, `Variant:sku-1:red`. */
export function entityTag(typename: string, keyValues: readonly string[]): string {
  let tag = typename;
  for (const value of keyValues) tag += TAG_SEPARATOR + escapeTagSegment(value);
  return tag;
}

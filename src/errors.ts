/**
 * Every error cachetag throws is a {@link CacheTagError} with a stable `code`.
 * Codes are part of the public API: match on `code`, never on `message`.
 */

/** Stable error codes, one per failure family. */
export type CacheTagErrorCode =
  /** The schema's cache directives are malformed; see {@link CacheTagSchemaError.problems}. */
  | 'SCHEMA_INVALID'
  /** An option passed to a factory is missing, of the wrong type, or out of range. */
  | 'INVALID_OPTION'
  /** A tag passed to `invalidate()` (or produced by a template) is not a valid tag path. */
  | 'INVALID_TAG'
  /** A resolver result holds something the codec cannot round-trip (a function, a class instance, a Map...). */
  | 'UNSERIALIZABLE_VALUE'
  /**
   * A value that enters a key (an argument, a variable, a non-entity parent) has no canonical rendering: a class
   * instance its scalar cannot serialize to plain data, an invalid Date, nesting too deep. Served uncached.
   */
  | 'UNKEYABLE_VALUE'
  /** Bytes read from a store are not a valid cachetag frame (truncated, unknown version, bad compression). */
  | 'CODEC_CORRUPT'
  /** An encoded value, or a frame's declared size, exceeds the configured `maxValueBytes`. */
  | 'VALUE_TOO_LARGE'
  /** A store call failed or missed its deadline. */
  | 'STORE_UNAVAILABLE'
  /**
   * A shared store (Redis) did not acknowledge an invalidation within its deadline. The tags are kept pending in this
   * process (retried in order, and no cached read of them is served here meanwhile); other processes may serve them
   * until a retry lands.
   */
  | 'INVALIDATION_UNACKNOWLEDGED'
  /** A tag template needs a value (an argument, a key field, a parent or result field) that is absent at run time. */
  | 'TEMPLATE_VALUE_MISSING'
  /** A resolver gave a dynamic cache hint (`info.cacheControl`) where cachetag computes the policy and cannot see it. */
  | 'DYNAMIC_HINT_UNSUPPORTED'
  /** The `sessionId` function returned something other than a string, a finite number, null or undefined. */
  | 'INVALID_SESSION_ID'
  /** A forwarder (`cachetag/forwarders`) got an error answer from the endpoint it forwards an invalidation to. */
  | 'INVALIDATION_FORWARD_FAILED';

/** Base class of every error thrown by cachetag. */
export class CacheTagError extends Error {
  override readonly name: string = 'CacheTagError';
  readonly code: CacheTagErrorCode;

  constructor(code: CacheTagErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * `INVALIDATION_UNACKNOWLEDGED`: the store did not acknowledge the invalidation of `tags` (a subset of what was asked
 * for when a sharded store acknowledged some shards). They are kept pending and retried by the store.
 */
export class UnacknowledgedInvalidationError extends CacheTagError {
  override readonly name: string = 'UnacknowledgedInvalidationError';
  /** The tags the store did not acknowledge. */
  readonly tags: readonly string[];
  /** The tags asked for. */
  readonly requested: readonly string[];

  constructor(message: string, tags: readonly string[], requested: readonly string[], options?: { cause?: unknown }) {
    super('INVALIDATION_UNACKNOWLEDGED', message, options);
    this.tags = tags;
    this.requested = requested;
  }
}

/** True for an {@link UnacknowledgedInvalidationError} (also across copies of the package). */
export function isUnacknowledgedInvalidation(error: unknown): error is UnacknowledgedInvalidationError {
  return error instanceof CacheTagError && error.code === 'INVALIDATION_UNACKNOWLEDGED' && Array.isArray((error as { tags?: unknown }).tags);
}

/** Where in the SDL a problem sits, when the schema was built from SDL. */
export interface SourceLocation {
  readonly line: number;
  readonly column: number;
  /** The name of the SDL source (a file name), when the schema was parsed from a named `Source`. */
  readonly source?: string;
}

/** One mistake in a schema's cache directives. */
export interface SchemaProblem {
  /** Schema coordinate of the element at fault: `Type` or `Type.field`. */
  readonly coordinate: string;
  /** The directive at fault, without `@`. */
  readonly directive: string;
  /** The full, human-readable message (it names the coordinate and the directive). */
  readonly message: string;
  /** Location in the SDL, when known. */
  readonly location?: SourceLocation;
}

/**
 * Thrown once per schema with every problem found, so a user fixes them all in
 * one pass instead of one per restart.
 */
export class CacheTagSchemaError extends CacheTagError {
  override readonly name = 'CacheTagSchemaError';
  readonly problems: readonly SchemaProblem[];

  constructor(problems: readonly SchemaProblem[]) {
    super(
      'SCHEMA_INVALID',
      `cachetag found ${problems.length} problem${problems.length === 1 ? '' : 's'} in the schema's cache directives:\n` +
        problems
          .map(
            (p) =>
              `  - ${p.message}${p.location ? ` (${p.location.source ? `${p.location.source}, ` : ''}line ${p.location.line}, column ${p.location.column})` : ''}`,
          )
          .join('\n'),
    );
    this.problems = problems;
  }
}

/** Builds the error thrown for a bad option: names the option, what was expected and what was received. */
export function invalidOption(factory: string, option: string, expected: string, received: unknown): CacheTagError {
  return new CacheTagError('INVALID_OPTION', `${factory}: option "${option}" must be ${expected}; received ${describeValue(received)}.`);
}

/** A short, safe rendering of any value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  const ctor = (value as object).constructor?.name;
  return ctor && ctor !== 'Object' ? `an instance of ${ctor}` : 'an object';
}

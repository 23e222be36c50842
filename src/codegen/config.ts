/**
 * The plugin's options, as written under `config:` in a codegen config.
 * graphql-codegen merges the root and output configs into each plugin's, so
 * keys we do not know are ignored rather than rejected.
 */
import { invalidOption } from '../errors.js';

export interface CacheTagCodegenConfig {
  /**
   * The module the generated code imports `escapeTagSegment` from (the only
   * thing it imports). Default {@link defaultImportFrom}; a relative path
   * when generating inside the cachetag repository itself.
   */
  importFrom?: string;
  /**
   * Whether the server's cache has a `sessionId` function. Without one,
   * `@cacheControl(scope: PRIVATE)` is a problem and fails generation, as it
   * fails `createCache`. Default {@link defaultHasSessionId}: codegen cannot
   * see the server, which checks again when it starts.
   */
  hasSessionId?: boolean;
}

/** The module imported by generated code unless `importFrom` says otherwise. */
export const defaultImportFrom = 'cachetag';

/** Assume a `sessionId` function unless `hasSessionId: false` says otherwise. */
export const defaultHasSessionId = true;

/** The options with their defaults; throws `INVALID_OPTION` naming the option at fault. */
export function resolveCodegenConfig(config: unknown): Required<CacheTagCodegenConfig> {
  const { importFrom = defaultImportFrom, hasSessionId = defaultHasSessionId } = (config ?? {}) as Record<string, unknown>;
  if (typeof importFrom !== 'string' || importFrom.trim() === '') {
    throw invalidOption('cachetag/codegen', 'importFrom', "a module specifier such as 'cachetag'", importFrom);
  }
  if (typeof hasSessionId !== 'boolean') throw invalidOption('cachetag/codegen', 'hasSessionId', 'a boolean', hasSessionId);
  return { importFrom, hasSessionId };
}

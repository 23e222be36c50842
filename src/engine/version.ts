/**
 * The `version` option: a deploy's name for what its resolvers return. It enters every key (field and operation
 * entries, through the schema hash they all carry) but no tag, so two deploys with one SDL and different resolvers
 * never read each other's raw values, while an invalidation by either still reaches both.
 */
import { createHash } from 'node:crypto';
import { invalidOption } from '../errors.js';

/** The validated `version` option: undefined, or a non-empty string. */
export function versionOption(version: unknown): string | undefined {
  if (version === undefined) return undefined;
  if (typeof version !== 'string' || version.length === 0 || version.length > 256) {
    throw invalidOption('createCache', 'version', 'a non-empty string of at most 256 characters (a release, a commit)', version);
  }
  return version;
}

/** The schema hash keys carry, for `version` (the plain schema hash when there is none, so unversioned keys stay as they were). */
export function versionedSchemaHash(schemaHash: string, version: string | undefined): string {
  if (version === undefined) return schemaHash;
  return createHash('sha256').update(`${schemaHash}\0${version}`).digest('base64url').slice(0, 16);
}

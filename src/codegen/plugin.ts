/**
 * The graphql-codegen plugin: a thin adapter that reads the schema's cache
 * directives with the runtime's own validator and renders the cache tags
 * module. A malformed directive fails generation with the exact
 * `CacheTagSchemaError` the server would throw at startup.
 */
import type { PluginFunction, PluginValidateFn } from '@graphql-codegen/plugin-helpers';
import type { GraphQLSchema } from 'graphql';
import { assertValidCacheDirectives } from '../directives/validate.js';
import { CacheTagError, describeValue } from '../errors.js';
import { renderCacheTagsModule } from './cacheTagsModule.js';
import { resolveCodegenConfig, type CacheTagCodegenConfig } from './config.js';

/** Output files the plugin can write: it emits TypeScript. */
const typeScriptFile = /\.(?:[cm]?ts|tsx)$/;

/** Renders the cache tags module; throws `CacheTagSchemaError` listing every problem of the schema's cache directives. */
export const plugin: PluginFunction<CacheTagCodegenConfig, string> = (schema, _documents, config) => generate(schema, config);

/** Runs before any plugin of the output writes: checks the options, the output file name and the directives. */
export const validate: PluginValidateFn<CacheTagCodegenConfig> = (schema, _documents, config, outputFile) => {
  if (!typeScriptFile.test(outputFile)) {
    throw new CacheTagError(
      'INVALID_OPTION',
      `cachetag/codegen: the output file must be a TypeScript file (.ts, .mts, .cts or .tsx), since the plugin emits TypeScript; received ${describeValue(outputFile)}.`,
    );
  }
  generate(schema, config);
};

function generate(schema: GraphQLSchema, config: CacheTagCodegenConfig | undefined): string {
  const { importFrom, hasSessionId } = resolveCodegenConfig(config);
  const directives = assertValidCacheDirectives(schema, { hasSessionId });
  return renderCacheTagsModule(schema, directives, { importFrom });
}

/**
 * `cachetag/codegen`: a graphql-codegen plugin emitting typed tag builders,
 * a typed invalidate and the cache policy of every field. Add it to a codegen
 * config as `plugins: ['cachetag/codegen']`; see docs/codegen.md.
 */
export { plugin, validate } from './plugin.js';
export { defaultHasSessionId, defaultImportFrom, resolveCodegenConfig, type CacheTagCodegenConfig } from './config.js';
export { renderCacheTagsModule, type CacheTagsModuleOptions } from './cacheTagsModule.js';

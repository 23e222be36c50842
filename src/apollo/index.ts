/** `cachetag/apollo`: the Apollo Server adapter, re-exported. */
export { createApolloPlugin, defaultDebugHeader, type ApolloPluginOptions, type CacheTagApolloPlugin } from './plugin.js';
export { apolloPersistedQueries } from './persistedQueries.js';

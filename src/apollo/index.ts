export { createApolloPlugin, defaultDebugHeader, type ApolloPluginOptions, type CacheTagApolloPlugin } from './plugin.js';
export { apolloPersistedQueries } from './persistedQueries.js';

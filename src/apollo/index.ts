export { createApolloPlugin, defaultDebugHeader, type ApolloPluginOptions, type CacheTagApolloPlugin } from './plugin.js';

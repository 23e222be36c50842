export { createApolloPlugin, defaultDebugHeader, type ApolloPluginOptions } from './plugin.js';

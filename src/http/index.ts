/** `cachetag/http`: the node:http drop-in and the framework-agnostic pieces every HTTP integration uses. */
export { withCacheTag, writeAnswer, defaultMaxBodyBytes, type CacheTagListener, type NodeFastPathOptions, type ReadRequest } from './node.js';
export {
  adapterOf,
  createAdapter,
  type AdapterSource,
  type CacheTagAdapter,
  type FastPathAnswer,
  type FastPathOptions,
  type PersistedQueryRegistry,
  type SessionIdFromRequest,
} from '../adapter/adapter.js';
export { fastPathHeaders, requestHeader, screenRequest, type FastPathRequest, type HeaderSource, type ScreenOptions, type ScreenResult } from './screen.js';
export { cacheAdmin, type CacheAdminHandler, type CacheAdminOptions } from './admin.js';

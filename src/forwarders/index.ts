/** `cachetag/forwarders`: ready-made `onInvalidate` listeners (Apollo Router, Fastly, Cloudflare), re-exported. */
export { apolloRouterInvalidation, type ApolloRouterInvalidationOptions } from './apolloRouter.js';
export { fastlyPurge, defaultFastlyBaseUrl, type FastlyPurgeOptions } from './fastly.js';
export { cloudflarePurge, defaultCloudflareBaseUrl, type CloudflarePurgeOptions } from './cloudflare.js';
export type { Invalidation, InvalidationListener, InvalidationDeliveryOptions } from '../engine/invalidationDelivery.js';
